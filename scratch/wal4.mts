import { openStore } from '../src/storage/store.ts';
import { createLogger } from '../src/logger.ts';
import { rmSync } from 'node:fs';
let bad = 0; const N = 20; const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const dir = `/tmp/fx/wal4-${i}`;
  rmSync(dir, { recursive: true, force: true });
  const lines: string[] = [];
  const logger = createLogger('info', { write: (s: string) => { lines.push(s); } } as any);
  const store = openStore(`sqlite://${dir}/db.sqlite`, logger);
  const cols = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => store.collection<number>(n));
  await Promise.all(cols.map(async (c) => { for (let k = 0; k < 10; k++) { await c.get('k'); await c.set('k', k); } }));
  await store.close();
  if (lines.length) bad++;
}
console.log('bad runs', bad, 'of', N, Date.now() - t0, 'ms');
