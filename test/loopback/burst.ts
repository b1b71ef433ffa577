/**
 * A burst of button clicks, timed by the loopback: each from the moment its INTERACTION_CREATE goes out
 * on the gateway to the moment the bot's interaction callback (the HTTP acknowledgement) has been
 * accepted. Used by bench/vote-journey.ts through the remote loopback (remote.ts), so the timing runs
 * on the loopback's own event loop, not the bot's.
 */
import { performance } from 'node:perf_hooks';
import type { Loopback } from './index.js';

export interface ClickBurstInput {
  messageId: string;
  /** One click per entry, all sent at once, each by a new member. */
  customIds: string[];
  /** Usernames are `${memberPrefix}${i}`: a fresh prefix per burst gives fresh voters. */
  memberPrefix: string;
  timeoutMs: number;
  /** When given (a RegExp source), a callback whose content does not match is listed in `errors`. */
  expectContent?: string;
}

export interface ClickBurstResult {
  clicks: number;
  acknowledged: number;
  /** Per acknowledged click: INTERACTION_CREATE sent → callback accepted, ms. */
  latenciesMs: number[];
  /** First INTERACTION_CREATE sent → last callback accepted, ms. */
  spanMs: number;
  /** CPU time (user + system) the loopback's process spent during the burst, ms. */
  loopbackCpuMs: number;
  errors: string[];
}

export async function timeClickBurst(loop: Loopback, input: ClickBurstInput): Promise<ClickBurstResult> {
  const message = loop.message(input.messageId);
  if (!message) throw new Error(`no message ${input.messageId} to click on`);
  // Members first, so creating them is not timed.
  const members = input.customIds.map((_, i) => loop.member({ username: `${input.memberPrefix}${i}` }));
  const latencies: number[] = [];
  const errors: string[] = [];
  let lastAck = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const expected = input.expectContent === undefined ? undefined : new RegExp(input.expectContent);
  const pending = input.customIds.map((customId, i) => {
    const t0 = performance.now();
    const handle = loop.clickButton({ message, customId, member: members[i]! });
    return handle.response(input.timeoutMs).then(
      (callback) => {
        const now = performance.now();
        latencies.push(now - t0);
        lastAck = Math.max(lastAck, now);
        const content = typeof callback.data?.content === 'string' ? callback.data.content : '';
        if (expected && !expected.test(content)) errors.push(`unexpected reply: ${JSON.stringify(content.slice(0, 120))}`);
      },
      (error: unknown) => void errors.push(error instanceof Error ? error.message : String(error)),
    );
  });
  await Promise.all(pending);
  const used = process.cpuUsage(cpu);
  return { clicks: input.customIds.length, acknowledged: latencies.length, latenciesMs: latencies, spanMs: lastAck - start, loopbackCpuMs: (used.user + used.system) / 1000, errors: errors.slice(0, 5) };
}
