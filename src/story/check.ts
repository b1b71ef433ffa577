/**
 * A small reader for untrusted JSON: every accessor records a problem with its path instead of
 * throwing, so one run lists every bad field of a file at once.
 */
export class Checker {
  readonly problems: string[] = [];

  constructor(readonly file: string) {}

  fail(path: string, message: string): void {
    this.problems.push(`${this.file}: ${path || '(top level)'}: ${message}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    this.fail(path, `expected an object, got ${describe(value)}`);
    return {};
  }

  array(value: unknown, path: string, min = 1, max = Infinity): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, `expected an array, got ${describe(value)}`);
      return [];
    }
    if (value.length < min || value.length > max) {
      this.fail(path, `expected ${range(min, max)} items, got ${value.length}`);
    }
    return value;
  }

  string(value: unknown, path: string, max = Infinity, pattern?: RegExp): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(path, value === undefined ? 'is missing' : `expected a non-empty string, got ${describe(value)}`);
      return '';
    }
    if (value.length > max) this.fail(path, `is ${value.length} characters long, the limit is ${max}`);
    if (pattern && !pattern.test(value)) this.fail(path, `"${value}" does not match ${pattern}`);
    return value;
  }

  nullableString(value: unknown, path: string, max = Infinity): string | null {
    return value === null ? null : this.string(value, path, max);
  }

  unique(ids: string[], path: string): void {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) this.fail(path, `id "${id}" is used twice`);
      seen.add(id);
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : value.trim() === '' ? 'a blank string' : 'a string';
  return `a ${typeof value}`;
}

function range(min: number, max: number): string {
  if (max === Infinity) return `at least ${min}`;
  return min === max ? `exactly ${min}` : `${min} to ${max}`;
}
