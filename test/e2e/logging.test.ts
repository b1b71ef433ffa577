/**
 * A real logged failure: the bot answers an interaction after Discord's 3 s window, so its callback
 * fails with 10062 and the router logs the @discordjs/rest error (whose `url` holds the interaction
 * token). The captured lines must carry the route, but neither that token nor the bot token.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Journey, TOKEN, startJourney } from './harness.js';

let j: Journey;
// The loopback's clock for the 3 s callback window: moved past it once an interaction is sent.
let skewMs = 0;

beforeAll(async () => {
  j = await startJourney({ loop: { now: () => Date.now() + skewMs } });
});
afterAll(async () => {
  await j?.close();
});

it('logs a failed interaction callback with its route, and without any token', async () => {
  const handle = j.loop.sendCommand({ name: 'story', subcommand: 'summary' });
  // Synchronously after INTERACTION_CREATE went out, before the bot can answer: its answer is late.
  skewMs = 10_000;
  const token = String(handle.payload.token);
  const failed = await j.waitForLog((line) => line.msg === 'could not tell the user about the error');
  skewMs = 0;
  expect(j.loop.takeViolations().map((v) => v.code)).toContain(10062);

  const raw = j.rawLogs.join('\n');
  expect(raw).not.toContain(token);
  expect(raw).not.toContain(TOKEN);
  const handlerFailed = j.logs.find((line) => line.msg === 'handler failed');
  expect(JSON.stringify(handlerFailed)).toMatch(new RegExp(`/interactions/${handle.id}/\\[redacted\\]/callback`));
  expect(failed.interactionId).toBe(handle.id);
});
