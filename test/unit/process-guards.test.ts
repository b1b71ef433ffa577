import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { installCrashHandlers, SHUTDOWN_DEADLINE_MS, shutdownWithin } from '../../src/process-guards.js';
import { FakeClock } from '../helpers/fake-clock.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('shutting down', () => {
  it('exits with the given code once stop finishes, before the deadline', async () => {
    const { logger } = capture();
    const exits: number[] = [];
    const clock = new FakeClock();
    let finish = () => undefined as void;
    shutdownWithin(() => new Promise<void>((r) => (finish = r)), logger, clock, { exitCode: 1, exit: (c) => void exits.push(c) });
    finish();
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1]);
    expect(clock.pending).toBe(0); // the deadline was cancelled
  });

  it('exits 1 at the deadline when stop hangs, and once only', async () => {
    const { lines, logger } = capture();
    const exits: number[] = [];
    const clock = new FakeClock();
    shutdownWithin(() => new Promise<void>(() => undefined), logger, clock, { exit: (c) => void exits.push(c) });
    clock.advance(SHUTDOWN_DEADLINE_MS - 1);
    expect(exits).toEqual([]);
    clock.advance(1);
    expect(exits).toEqual([1]);
    await new Promise((r) => setImmediate(r));
    expect(lines.some((l) => l.msg === 'shutdown did not finish in time; exiting anyway')).toBe(true);
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThan(10_000);
  });
});

describe('an error nothing caught', () => {
  it('is logged once with its origin, and the process asked to exit 1', async () => {
    const { lines, logger } = capture();
    const exits: number[] = [];
    const proc = new EventEmitter(); // stands in for `process`, whose real events the test runner owns
    installCrashHandlers(logger, (c) => void exits.push(c), proc);
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('unhandledRejection', new Error('second'));
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, origin: 'uncaughtException', err: { message: 'boom' } });
  });
});
