import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/storage/batch.js';

/** A commit function whose statements the test finishes one by one. */
function controlled() {
  const statements: Array<{ rows: Array<[string, string]>; finish: () => void; fail: (e: Error) => void }> = [];
  const commit = (rows: Array<[string, string]>) => new Promise<void>((finish, fail) => void statements.push({ rows, finish, fail }));
  return { statements, commit };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit with several statements in flight (PostgreSQL)', () => {
  it('starts the next batch while one commits, but holds back a key whose earlier write is in flight', async () => {
    const { statements, commit } = controlled();
    const batcher = new WriteBatcher(commit, { inFlight: 4 });
    const first = batcher.write('a', '1');
    await turn();
    const later = [batcher.write('a', '2'), batcher.write('b', '1'), batcher.write('a', '3')];
    await turn();
    expect(statements.map((s) => s.rows)).toEqual([[['a', '1']], [['b', '1']]]);
    statements[0]!.finish();
    await first;
    await turn();
    expect(statements[2]?.rows).toEqual([['a', '2'], ['a', '3']]); // after the first, in call order
    statements[1]!.finish();
    statements[2]!.finish();
    await Promise.all(later);
    await batcher.idle();
  });

  it('runs a conditional write alone, after the writes queued before it, and rejects only the failed batch', async () => {
    const { statements, commit } = controlled();
    const batcher = new WriteBatcher(commit, { inFlight: 4 });
    const failed = batcher.write('a', '1');
    await turn();
    const kept = batcher.write('b', '1');
    const order: string[] = [];
    const claim = batcher.exclusive(async () => void order.push(`claim after ${statements.length} statements`));
    const after = batcher.write('c', '1');
    await turn();
    expect(statements).toHaveLength(2);
    expect(order).toEqual([]);
    statements[0]!.fail(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');
    statements[1]!.finish();
    await kept;
    await claim;
    expect(order).toEqual(['claim after 2 statements']);
    await turn();
    statements[2]!.finish();
    await after;
    expect(statements[2]?.rows).toEqual([['c', '1']]);
  });
});
