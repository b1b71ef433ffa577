import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Journey, startJourney } from './harness.js';

// A Markdown link Discord would render: an unescaped `[`, then an unescaped `](`.
const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
const EVIL = '[Claim Nitro](https://evil.example/x)';
let j: Journey;

beforeAll(async () => {
  j = await startJourney();
});
afterEach(() => j.loop.assertNoViolations());
afterAll(async () => {
  await j?.close();
});

type Button = { custom_id?: string; label?: string };
const buttons = (m: APIMessage): Button[] => (m.components as Array<{ components: Button[] }>).flatMap((r) => r.components);
/** Everything a member reads on a message: content, embed title, description, fields. */
const shown = (m: APIMessage): string[] => [m.content, ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])];

it('a question or answer shaped like a link shows as text in the poll, the vote confirmation, /poll list and the results', async () => {
  const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question: `${EVIL} now?`, answers: `[Free](https://evil.example/y) | # No | > Maybe` } }).waitForReply();
  for (const text of shown(poll)) expect(text).not.toMatch(MASKED_LINK);
  expect(poll.embeds[0]?.description).not.toMatch(/^(#|>)/m);
  expect(poll.embeds[0]?.title).toContain('https://evil.example/x');

  const vote = await j.loop.clickButton({ message: poll, customId: buttons(poll)[0]!.custom_id! }).waitForReply();
  expect(vote.content).toMatch(/Your vote for/);
  expect(vote.content).not.toMatch(MASKED_LINK);

  const list = await j.loop.sendCommand({ name: 'poll', subcommand: 'list' }).waitForReply();
  expect(list.content).toContain('https://evil.example/x');
  expect(list.content).not.toMatch(/\[[^\]]*evil\.example[^\]]*\]\(/); // no link text that shows one URL and goes to another

  const id = buttons(poll)[0]!.custom_id!.split(':')[2]!;
  const choices = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'results', options: { poll: '' }, focused: 'poll' }).autocompleteChoices();
  expect(choices.find((c) => c.value === id)?.name).not.toMatch(/\]\(/);

  await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: id } }).waitForReply();
  const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
  expect(results.content).toMatch(/Poll closed/);
  expect(results.content).not.toMatch(MASKED_LINK);
});
