import { describe, expect, it } from 'vitest';
import { describeStartupError } from '../../src/startup-errors.js';

describe('describeStartupError', () => {
  it("tells the operator to check DATABASE_URL when the database's own error stops start-up", () => {
    const sqlite = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
    const postgres = Object.assign(new Error('database "tamasha" does not exist'), { code: '3D000' });
    for (const error of [sqlite, postgres]) expect(describeStartupError(error)).toBe(`tamasha cannot start: the database could not be opened (${String(error)}). Check DATABASE_URL.`);
  });

  it('passes any other error on as it is', () => {
    expect(describeStartupError(new Error('out of memory'))).toBe('tamasha cannot start: out of memory');
  });
});
