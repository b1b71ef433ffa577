import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StorePollRepository } from '../../src/polls/repository.js';
import { PollService } from '../../src/polls/service.js';
import { openStore } from '../../src/storage/store.js';

// Real processes: starting one takes seconds on a loaded machine. These bound a hung test only; the
// promises under test (exit within 10 s of SIGTERM, …) are asserted from the moment they start.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'tamasha-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GUILD = '100000000000000001';

describe('an acknowledged vote', () => {
  it('survives SIGKILL of the process right after the acknowledgement', async () => {
    const file = join(dir, 'votes.sqlite');
    const setup = openStore(`sqlite://${file}`, createLogger('silent'));
    const service = new PollService({ repo: new StorePollRepository(setup), clock: { now: () => Date.now(), setTimer: () => () => undefined }, logger: createLogger('silent'), onChange: () => undefined, onClose: () => undefined });
    const poll = await service.create({ question: 'Kept?', answers: 'Yes, No' }, { guildId: GUILD, channelId: '1', creatorId: '2' });
    await service.stop();
    await setup.close();

    const child = spawn(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('test/fixtures/vote-then-wait.ts'), file, GUILD, poll.id, '200']);
    const acked = new Set<string>();
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line.startsWith('acked ')) acked.add(line.slice(6));
        if (acked.size >= 200) {
          child.kill('SIGKILL'); // no shutdown, no flush: only what was committed survives
          done();
        }
      });
      child.on('exit', (code) => (acked.size < 200 ? fail(new Error(`child exited early (${code})`)) : undefined));
    });
    await new Promise((r) => child.on('exit', r));

    const store = openStore(`sqlite://${file}`, createLogger('silent'));
    const votes = await new StorePollRepository(store).votesOf(poll.id);
    expect(votes.size).toBe(200);
    await store.close();
  });
});
