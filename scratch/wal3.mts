import { openStore } from '../src/storage/store.ts';
import { createLogger } from '../src/logger.ts';
import { rmSync } from 'node:fs';
let bad = 0;
for (let i = 0; i < 40; i++) {
  const dir = `/tmp/fx/wal3-${i}`;
  rmSync(dir, { recursive: true, force: true });
  const lines: string[] = [];
  const logger = createLogger('info', { write: (s: string) => { lines.push(s); } } as any);
  const store = openStore(`sqlite://${dir}/db.sqlite`, logger);
  const cols = ['polls', 'votes', 'pollOwners', 'digests'].map((n) => store.collection<number>(n));
  await Promise.all(cols.map((c, j) => i % 2 ? c.entries('x') : c.get('k' + j)));
  await Promise.all(cols.map((c, j) => c.set('k' + j, j)));
  await store.close();
  if (lines.length) { bad++; if (bad < 3) console.log(lines.join('').slice(0, 500)); }
}
console.log('bad runs', bad);
