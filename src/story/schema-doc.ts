import { z } from 'zod';
import { PACK_FILES, TakeSchema } from './schema.js';

/**
 * Writes the field tables of data/README.md from the schema, so the README cannot drift from what
 * the loader checks: `npm run docs:data` rewrites the blocks between the markers, and
 * test/unit/story-schema.test.ts fails when they differ.
 */

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: string[];
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueBy?: string;
  default?: unknown;
}

type Row = [field: string, kind: string, rule: string, meaning: string];

const BEGIN = (file: string) => `<!-- fields of ${file}: generated from src/story/schema.ts by \`npm run docs:data\`; do not edit by hand -->`;
const END = '<!-- end of generated fields -->';

function items(s: JsonSchema): string {
  const min = s.minItems ?? 0;
  const max = s.maxItems;
  const count = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
  return `${count} item${max === 1 ? '' : 's'}${s.uniqueBy ? `, unique by ${s.uniqueBy}` : ''}`;
}

function describeLeaf(s: JsonSchema): [kind: string, rule: string] {
  if (s.enum) return ['choice', `one of ${s.enum.map((v) => `\`"${v}"\``).join(', ')}`];
  const rules = [s.maxLength === undefined ? '' : `≤ ${s.maxLength} characters`, s.pattern ? `matches \`${s.pattern}\`` : ''].filter(Boolean);
  return ['text', rules.join('; ')];
}

function rows(s: JsonSchema, path: string, optional: boolean, out: Row[]): void {
  const nullable = s.anyOf?.find((a) => a.type !== 'null');
  if (nullable) {
    const [kind, rule] = describeLeaf(nullable);
    out.push([path, `${kind} or null`, rule, s.description ?? '']);
    return;
  }
  const mark = (rule: string) => [optional ? 'optional' : '', rule].filter(Boolean).join('; ');
  if (s.type === 'array' && s.items) {
    const item = s.items;
    const kind = item.type === 'object' ? 'list' : item.enum ? 'list of choices' : 'list of text';
    const rule = [items(s), item.type === 'object' ? '' : describeLeaf(item)[1] && `each ${describeLeaf(item)[1]}`].filter(Boolean).join('; ');
    if (path !== '') out.push([path, kind, mark(rule), s.description ?? '']);
    if (item.type === 'object') rows(item, `${path}[]`, false, out);
    return;
  }
  if (s.type === 'object' && s.properties) {
    if (path !== '' && s.description) out.push([path, 'object', mark(''), s.description]);
    for (const [key, value] of Object.entries(s.properties)) {
      // The items of a top-level list are introduced by a sentence, so their fields need no prefix.
      rows(value, path === '' || path === '[]' ? key : `${path}.${key}`, !(s.required ?? []).includes(key), out);
    }
    return;
  }
  const [kind, rule] = describeLeaf(s);
  out.push([path, kind, mark(rule), s.description ?? '']);
}

/** The generated block for one file: an intro line for a top-level list, then the field table. */
export function fieldTable(file: keyof typeof PACK_FILES): string {
  const json = z.toJSONSchema(PACK_FILES[file], { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: Row[] = [];
  rows(json, '', false, out);
  const intro = json.type === 'array' ? [`The file is a list of ${items(json)}, each with:`, ''] : [];
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const table = ['| field | kind | rule | what it holds |', '|---|---|---|---|', ...out.map((row) => `| ${row.map((cell, i) => (i === 0 ? `\`${cell}\`` : escape(cell))).join(' | ')} |`)];
  const notes = ['', 'Every text must be non-empty (not blank).'];
  // The take is the part of a stakeholder the claim lint reads and the balance check counts.
  if (file === 'stakeholders.json') notes.push(`The take, our words about each stakeholder: ${Object.keys(TakeSchema.shape).map((k) => `\`${k}\``).join(', ')}.`);
  return [BEGIN(file), ...intro, ...table, ...notes, END].join('\n');
}

/** `readme` with each file's generated block replaced by what the schema produces now. */
export function withFieldTables(readme: string): string {
  let text = readme;
  for (const file of Object.keys(PACK_FILES) as (keyof typeof PACK_FILES)[]) {
    const start = text.indexOf(BEGIN(file));
    const end = start === -1 ? -1 : text.indexOf(END, start);
    if (start === -1 || end === -1) throw new Error(`data/README.md has no generated block for ${file} (a line "${BEGIN(file)}" ... "${END}")`);
    text = text.slice(0, start) + fieldTable(file) + text.slice(end + END.length);
  }
  return text;
}
