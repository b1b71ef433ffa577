/**
 * A real logged failure: the bot answers an interaction after Discord's 3 s window, so its callback
 * fails with 10062 and the router logs the @discordjs/rest error (whose `url` holds the interaction
 * token). The captured lines must carry the route, but neither that token nor the bot token.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { controlsOf } from '../loopback/index.js';
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

it('names the interaction (id, server, member, custom_id) on every line the router writes about it', async () => {
  const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start' }).waitForReply();
  const member = j.loop.member();
  const stale = j.loop.clickButton({ message: poll, customId: 'poll:nope:1', member, force: true });
  await stale.waitForReply();
  expect(await j.waitForLog((line) => line.msg === 'unknown or stale custom_id' && line.interactionId === stale.id)).toMatchObject({ guildId: j.guildId, userId: member.id, customId: 'poll:nope:1' });
  expect(await j.waitForLog((line) => line.msg === 'told the user why not' && line.interactionId === stale.id)).toMatchObject({ userId: member.id, customId: 'poll:nope:1' });

  const answer = String(controlsOf(poll)[0]!.custom_id);
  const vote = j.loop.clickButton({ message: poll, customId: answer, member });
  await vote.waitForReply();
  expect(await j.waitForLog((line) => line.msg === 'handled' && line.interactionId === vote.id)).toMatchObject({ guildId: j.guildId, userId: member.id, customId: answer });
});
