import { ActionRowBuilder, ButtonBuilder, ButtonStyle, StringSelectMenuBuilder, StringSelectMenuOptionBuilder } from 'discord.js';
import { clip } from '../../card.js';
import { maxChoicesOf } from '../../polls/ballot.js';
import { LIMITS, renderPoll, renderResults } from '../../polls/render.js';
import type { Poll, Tally } from '../../polls/types.js';
import { inert } from '../../text/inert.js';
import { encodeCustomId } from '../custom-id.js';
import { toEmbed } from './embed.js';

const BUTTONS_PER_ROW = 5;
const ROWS = 5;

export interface PollButton {
  customId: string;
  label: string;
  emoji: string | null;
  disabled: boolean;
}

/** `poll:vote:<poll id>:<answer index>` and `poll:retract:<poll id>`. */
const voteButtonId = (pollId: string, answer: number) => encodeCustomId('poll', 'vote', pollId, answer);
const retractButtonId = (pollId: string) => encodeCustomId('poll', 'retract', pollId);
/** `poll:choose:<poll id>`: the menu of a multiple-choice poll; its values are answer indexes. */
const chooseMenuId = (pollId: string) => encodeCustomId('poll', 'choose', pollId);

/**
 * A multiple-choice poll's menu: the member picks their whole set at once (1 to maxChoices), so
 * each pick replaces their ballot in one step, as Discord's own polls do, instead of toggles whose
 * in-between states would be stored and counted.
 */
export function choiceMenu(poll: Poll, closed: boolean) {
  const max = maxChoicesOf(poll);
  const menu = new StringSelectMenuBuilder()
    .setCustomId(chooseMenuId(poll.id))
    .setPlaceholder(closed ? 'Voting has ended' : `Pick up to ${max} answers`)
    .setMinValues(1)
    .setMaxValues(max)
    .setDisabled(closed)
    .addOptions(
      poll.answers.map((a, i) => {
        const option = new StringSelectMenuOptionBuilder().setLabel(clip(inert(a.label, 'plain'), 100)).setValue(String(i));
        return a.emoji ? option.setEmoji(a.emoji) : option;
      }),
    );
  return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu);
}

/**
 * One button per answer in rows of at most 5, then "Retract my vote" on a row of its own (left out
 * when votes are final, since retracting and voting again would be a change). At most 10 answers
 * keep this within 3 of Discord's 5 rows. Labels render no Markdown
 * and never ping; inert's plain form still keeps them on one line.
 */
export function buttonsFor(poll: Poll, closed: boolean): PollButton[][] {
  // A multiple-choice poll is voted in its menu (choiceMenu); only Retract is a button.
  const answers: PollButton[] = maxChoicesOf(poll) > 1 ? [] : poll.answers.map((a, i) => ({ customId: voteButtonId(poll.id, i), label: clip(inert(a.label, 'plain'), 80), emoji: a.emoji, disabled: closed }));
  const rows: PollButton[][] = [];
  for (let i = 0; i < answers.length; i += BUTTONS_PER_ROW) rows.push(answers.slice(i, i + BUTTONS_PER_ROW));
  if (poll.allowChange) rows.push([{ customId: retractButtonId(poll.id), label: 'Retract my vote', emoji: null, disabled: closed }]);
  return rows.slice(0, ROWS);
}

/** The poll's own message: standings and its buttons, disabled once it has closed. */
export function pollMessage(poll: Poll, tally: Tally, now: number, closed: boolean) {
  const rows = buttonsFor(poll, closed).map((row) =>
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      row.map((b) => {
        const button = new ButtonBuilder().setCustomId(b.customId).setLabel(b.label).setStyle(b.customId.includes(':retract:') ? ButtonStyle.Secondary : ButtonStyle.Primary).setDisabled(b.disabled);
        if (b.emoji) button.setEmoji(b.emoji);
        return button;
      }),
    ),
  );
  const components = maxChoicesOf(poll) > 1 ? [choiceMenu(poll, closed), ...rows] : rows;
  return { embeds: [toEmbed(renderPoll(poll, tally, now))], components, allowedMentions: { parse: [] } };
}

/** Current standings, for /poll results: the poll's embed without its buttons. */
export const standingsMessage = (poll: Poll, tally: Tally, now: number) => ({ embeds: [toEmbed(renderPoll(poll, tally, now))] });

/** The last line of a results post: how a restarted bot recognises results it already posted. */
export const resultsMarker = (pollId: string): string => `-# Poll ${pollId}`;

/** The results posted in the channel when a poll closes, as a reply to the poll's message. */
export function resultsPost(poll: Poll, tally: Tally) {
  const mark = `\n${resultsMarker(poll.id)}`;
  return {
    content: `${clip(renderResults(poll, tally), LIMITS.message - mark.length)}${mark}`,
    // The nonce makes a re-post after a crash come back as the first post instead of a second one.
    nonce: `pr-${poll.id}`,
    enforceNonce: true,
    allowedMentions: { parse: [] },
    ...(poll.messageId ? { reply: { messageReference: poll.messageId, failIfNotExists: false } } : {}),
  };
}

export const pollLink = (poll: Poll) => `https://discord.com/channels/${poll.guildId}/${poll.channelId}/${poll.messageId ?? ''}`;

/** /poll list: the open polls with links. The question is shown beside the link, never as link text that could pose as a URL. */
export function openPollsMessage(open: readonly Poll[]) {
  const lines = open.map((p) => `• ${inert(clip(p.question, 80))} — [open it](${pollLink(p)}) — closes <t:${Math.floor(p.closesAt / 1000)}:R>`);
  return { content: lines.length > 0 ? `**Open polls (${open.length}):**\n${lines.join('\n')}`.slice(0, LIMITS.message) : 'No polls are open here. Start one with `/poll start`.', allowedMentions: { parse: [] } };
}
