import { spawnSync, spawn } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLoopbackDiscord } from '../test/loopback/index.ts';
import { fakeToken } from '../test/helpers/token.ts';
const APP_ID = '1100000000000000001';
const TOKEN = fakeToken(APP_ID);
const loop = await startLoopbackDiscord({ token: TOKEN, applicationId: APP_ID });
let bad = 0;
for (let i = 0; i < 6; i++) {
  const dir = `/tmp/fx/w${i}`; rmSync(dir, { recursive: true, force: true }); mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ['--import', resolve('node_modules/tsx/dist/loader.mjs'), resolve('src/index.ts')], { env: { PATH: process.env.PATH!, DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_URL: loop.apiUrl, DATABASE_URL: `sqlite://${dir}/bot.sqlite`, STORY_DIR: resolve('data') }, cwd: dir });
  let out = '';
  child.stdout.on('data', (d) => { out += d; if (out.includes('tamasha is online')) setTimeout(() => child.kill('SIGTERM'), 300); });
  child.stderr.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const errs = out.split('\n').filter((l) => l.includes('"level":50'));
  if (errs.length) { bad++; console.log(errs.join('\n').slice(0, 600)); }
}
console.log('bad runs', bad);
await loop.close();
