import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type Message, StringSelectMenuBuilder, StringSelectMenuOptionBuilder } from 'discord.js';
import { clip, COLORS } from '../../card.js';
import { maxChoicesOf } from '../../polls/ballot.js';
import { type PollView, renderPollView, renderResults } from '../../polls/render.js';
import type { Poll, Tally } from '../../polls/types.js';
import { t } from '../../i18n/index.js';
import { TRANSLATED_LOCALES } from '../../i18n/locales.js';
import { inert } from '../../text/inert.js';
import { encodeCustomId } from '../custom-id.js';
import { type Block, componentCount, layoutMessage, type LayoutMessage, MAX_COMPONENTS, messageTexts, type Panel, separator, smallPrint, text } from './layout.js';
import { notifySection } from './digest.js';

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
export function choiceMenu(poll: Poll, closed: boolean, locale: string | undefined = poll.locale) {
  const max = maxChoicesOf(poll);
  const menu = new StringSelectMenuBuilder()
    .setCustomId(chooseMenuId(poll.id))
    .setPlaceholder(closed ? t(locale, 'poll.votingEnded') : t(locale, 'poll.pickUpToMenu', { max }))
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
export function buttonsFor(poll: Poll, closed: boolean, locale: string | undefined = poll.locale): PollButton[][] {
  // A multiple-choice poll is voted in its menu (choiceMenu); only Retract is a button.
  const answers: PollButton[] = maxChoicesOf(poll) > 1 ? [] : poll.answers.map((a, i) => ({ customId: voteButtonId(poll.id, i), label: clip(inert(a.label, 'plain'), 80), emoji: a.emoji, disabled: closed }));
  const rows: PollButton[][] = [];
  for (let i = 0; i < answers.length; i += BUTTONS_PER_ROW) rows.push(answers.slice(i, i + BUTTONS_PER_ROW));
  if (poll.allowChange) rows.push([{ customId: retractButtonId(poll.id), label: t(locale, 'poll.retractButton'), emoji: null, disabled: closed }]);
  return rows.slice(0, ROWS);
}

function toButton(b: PollButton): ButtonBuilder {
  const button = new ButtonBuilder().setCustomId(b.customId).setLabel(b.label).setStyle(b.customId.includes(':retract:') ? ButtonStyle.Secondary : ButtonStyle.Primary).setDisabled(b.disabled);
  return b.emoji ? button.setEmoji(b.emoji) : button;
}

const answerText = (a: PollView['answers'][number]) => (a.standing === null ? `• ${a.name}` : `**${a.name}**\n${a.standing}`);

/**
 * A poll in one container: its question, then each answer as a section with its standing beside its
 * vote button (a multiple-choice poll lists them and is voted in its menu), the turnout and deadline,
 * Retract, and the small print. Buttons are disabled once it has closed. At 10 answers: 38 components.
 */
function pollPanel(poll: Poll, view: PollView, buttons: PollButton[][] | null, closed: boolean, locale: string | undefined): Panel {
  const flat = buttons?.flat() ?? [];
  const votes = flat.filter((b) => b.customId.includes(':vote:'));
  const retract = flat.filter((b) => b.customId.includes(':retract:'));
  const answers: Block[] =
    buttons && votes.length === view.answers.length
      ? view.answers.map((a, i) => ({ kind: 'section', texts: [answerText(a)], button: toButton(votes[i]!) }))
      : [text(view.answers.map(answerText).join('\n'))];
  const controls: Block[] = [];
  if (buttons && maxChoicesOf(poll) > 1) controls.push({ kind: 'row', row: choiceMenu(poll, closed, locale) });
  if (retract.length > 0) controls.push({ kind: 'row', row: new ActionRowBuilder<ButtonBuilder>().addComponents(retract.map(toButton)) });
  const { card } = view;
  const panel: Panel = {
    kind: 'panel',
    accent: card.color,
    blocks: [text(`## ${card.title}`), ...(card.description ? [text(card.description)] : []), ...answers, text(view.status), ...controls, separator(), smallPrint(card.footer ?? '')],
  };
  // While it runs, the poll offers the digest's "Notify me" (a role the server chose), if its 40
  // components leave room: a poll with ten answers as buttons does without.
  if (!buttons || closed || !poll.notifyRoleId) return panel;
  const withNotify: Panel = { ...panel, blocks: [...panel.blocks.slice(0, -2), notifySection(poll.notifyRoleId, locale), ...panel.blocks.slice(-2)] };
  return componentCount([withNotify]) <= MAX_COMPONENTS ? withNotify : panel;
}

/**
 * The poll's own message: standings and its controls, disabled once it has closed. Everyone reads it,
 * so it is written in the server's language of when it was started (Poll.locale), edits included.
 */
export function pollMessage(poll: Poll, tally: Tally, now: number, closed: boolean): LayoutMessage {
  return layoutMessage([pollPanel(poll, renderPollView(poll, tally, now), buttonsFor(poll, closed), closed, poll.locale)]);
}

/** Current standings, for /poll results: the poll's container without its buttons, in the asking member's `locale`. */
export const standingsMessage = (poll: Poll, tally: Tally, now: number, locale?: string): LayoutMessage =>
  layoutMessage([pollPanel(poll, renderPollView(poll, tally, now, locale), null, false, locale)]);

/** The last line of a results post: how a restarted bot recognises results it already posted. */
export const resultsMarker = (pollId: string, locale?: string): string => `-# ${t(locale, 'poll.footerId', { id: pollId })}`;

/**
 * Recognises this poll's results post, in whichever language it was posted (before Components V2 the
 * marker ended its content). The markers are worked out once, for a search that may scan thousands of messages.
 */
export const resultsPostMatcher = (pollId: string): ((message: Pick<Message, 'content' | 'components'>) => boolean) => {
  const markers = ['en', ...TRANSLATED_LOCALES].map((locale) => resultsMarker(pollId, locale));
  return (message) => messageTexts(message).some((text) => markers.some((marker) => text.endsWith(marker)));
};

/** Whether a message is the results post of this poll (see resultsPostMatcher). */
export const isResultsPost = (message: Pick<Message, 'content' | 'components'>, pollId: string): boolean => resultsPostMatcher(pollId)(message);

/** The results posted in the channel when a poll closes, as a reply to the poll's message. */
export function resultsPost(poll: Poll, tally: Tally) {
  return {
    ...layoutMessage([{ kind: 'panel', accent: COLORS.poll, blocks: [text(renderResults(poll, tally)), text(resultsMarker(poll.id, poll.locale))] }]),
    // The nonce makes a re-post after a crash come back as the first post instead of a second one.
    nonce: `pr-${poll.id}`,
    enforceNonce: true,
    ...(poll.messageId ? { reply: { messageReference: poll.messageId, failIfNotExists: false } } : {}),
  };
}

export const pollLink = (poll: Poll) => `https://discord.com/channels/${poll.guildId}/${poll.channelId}/${poll.messageId ?? ''}`;

/** Polls /poll list shows one by one: each is a section (3 components) and the message holds 40. */
const LISTED_POLLS = 10;

/**
 * /poll list: each open poll beside a link button to it. The question is text, never link text that
 * could pose as a URL.
 */
export function openPollsMessage(open: readonly Poll[], locale?: string) {
  if (open.length === 0) return { content: t(locale, 'poll.noneOpen'), allowedMentions: { parse: [] as [] } };
  const sections: Block[] = open.slice(0, LISTED_POLLS).map((p) => ({
    kind: 'section',
    texts: [`**${inert(clip(p.question, 200))}**\n${t(locale, 'poll.closesAt', { at: Math.floor(p.closesAt / 1000) })}`],
    button: new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(pollLink(p)).setLabel(t(locale, 'poll.openButton')),
  }));
  const more = open.length > LISTED_POLLS ? [smallPrint(t(locale, 'poll.moreOpen', { count: open.length - LISTED_POLLS }))] : [];
  return layoutMessage([{ kind: 'panel', accent: COLORS.poll, blocks: [text(`## ${t(locale, 'poll.openTitle', { count: open.length })}`), ...sections, ...more] }]);
}
