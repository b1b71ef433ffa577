import type { APIMessage } from 'discord-api-types/v10';
import { expect, it } from 'vitest';
import { controlsOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

// A Markdown link Discord would render: an unescaped `[`, then an unescaped `](`.
const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
const EVIL = '[Claim Nitro](https://evil.example/x)';

const j = useJourney();

type Button = { custom_id?: string; label?: string };
const buttons = (m: APIMessage): Button[] => controlsOf(m) as Button[];
/** Everything a member reads on a message, line by line. */
const shown = (m: APIMessage): string[] => textOf(m).split('\n');

it('a question or answer shaped like a link shows as text in the poll, the vote confirmation, /poll list and the results', async () => {
  const poll = await j.loop.sendCommand({ name: 'poll', subcommand: 'start', options: { question: `${EVIL} now?`, answers: `[Free](https://evil.example/y) | # No | > Maybe` } }).waitForReply();
  for (const text of shown(poll)) expect(text).not.toMatch(MASKED_LINK);
  // One heading, the poll's own; nothing the member typed becomes a heading or a quote.
  expect(shown(poll).filter((line) => /^(#|>)/.test(line))).toEqual([`## ${titleOf(poll)}`]);
  expect(titleOf(poll)).toContain('https://evil.example/x');

  const vote = await j.loop.clickButton({ message: poll, customId: buttons(poll)[0]!.custom_id! }).waitForReply();
  expect(vote.content).toMatch(/Your vote for/);
  expect(vote.content).not.toMatch(MASKED_LINK);

  const list = await j.loop.sendCommand({ name: 'poll', subcommand: 'list' }).waitForReply();
  expect(textOf(list)).toContain('https://evil.example/x');
  expect(textOf(list)).not.toMatch(/\[[^\]]*evil\.example[^\]]*\]\(/); // no link text that shows one URL and goes to another
  expect(controlsOf(list).map((c) => c.url)).toEqual([`https://discord.com/channels/${j.guildId}/${poll.channel_id}/${poll.id}`]);

  const id = buttons(poll)[0]!.custom_id!.split(':')[2]!;
  const choices = await j.loop.sendAutocomplete({ name: 'poll', subcommand: 'results', options: { poll: '' }, focused: 'poll' }).autocompleteChoices();
  expect(choices.find((c) => c.value === id)?.name).not.toMatch(/\]\(/);

  await j.loop.sendCommand({ name: 'poll', subcommand: 'end', options: { poll: id } }).waitForReply();
  const results = await j.loop.waitForMessage((m) => m.message_reference?.message_id === poll.id);
  expect(textOf(results)).toMatch(/Poll closed/);
  expect(textOf(results)).not.toMatch(MASKED_LINK);
});
