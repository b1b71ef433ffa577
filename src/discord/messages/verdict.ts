import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Chart } from '../../charts/types.js';
import { t } from '../../i18n/index.js';
import type { StoryPack } from '../../story/types.js';
import { renderStanding } from '../../verdict/render.js';
import { MIN_GROUP, type RetractStanceResult, type StanceResult, type Standing } from '../../verdict/types.js';
import { encodeCustomId } from '../custom-id.js';
import { type Block, cardPanel, layoutMessage } from './layout.js';

/** Discord's message content limit. */
const CONTENT_MAX = 2000;

/** `verdict:state:<pack version>:<answer>`, `verdict:retract:<pack version>`, `verdict:forget`. */
export const stanceButtonId = (version: string, answer: number) => encodeCustomId('verdict', 'state', version, answer);
export const retractStanceId = (version: string) => encodeCustomId('verdict', 'retract', version);
export const FORGET_ID = encodeCustomId('verdict', 'forget');
/** `verdict:before:<pack version>:<answer index | none>` and `verdict:after:…`: the reading prompts. */
export const readingButtonId = (phase: 'before' | 'after', version: string, answer: number | 'none') => encodeCustomId('verdict', phase, version, answer);

/** A button per answer of the headline poll (its label, and its emoji when it has one). */
function answerButtons(pack: StoryPack, id: (answer: number) => string): ButtonBuilder[] {
  return pack.headlinePoll.answers.map((a, i) => {
    const button = new ButtonBuilder().setCustomId(id(i)).setLabel(a.label.slice(0, 80)).setStyle(ButtonStyle.Primary);
    if (a.emoji) button.setEmoji(a.emoji);
    return button;
  });
}

/** Buttons in rows of 5, the most a row holds. */
function rowsOf(buttons: ButtonBuilder[]): Array<ActionRowBuilder<ButtonBuilder>> {
  const rows: Array<ActionRowBuilder<ButtonBuilder>> = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(i, i + 5)));
  return rows;
}

/**
 * The private question before reading the story ("where do you stand?") or after it ("and now?"):
 * a button per answer and "Not sure yet". Sent by /story; the buttons are handled by commands/verdict.ts.
 */
export function readingPrompt(pack: StoryPack, phase: 'before' | 'after', locale?: string) {
  const buttons = answerButtons(pack, (i) => readingButtonId(phase, pack.version, i));
  buttons.push(new ButtonBuilder().setCustomId(readingButtonId(phase, pack.version, 'none')).setLabel(t(locale, 'verdict.notSure')).setStyle(ButtonStyle.Secondary));
  const rows = rowsOf(buttons);
  const question = t(locale, phase === 'before' ? 'verdict.askBefore' : 'verdict.askAfter');
  return {
    content: `**${question}** ${pack.headlinePoll.question}\n-# ${t(locale, 'verdict.askNote', { min: MIN_GROUP })}`,
    components: rows,
    allowedMentions: { parse: [] },
  };
}

/** Where the server stands, with a button per answer and "Retract my stance" (at most 10 answers: 3 rows). */
export function verdictMessage(pack: StoryPack, standing: Standing, now: number, locale?: string) {
  const answers = pack.headlinePoll.answers;
  const rows = rowsOf(answerButtons(pack, (i) => stanceButtonId(pack.version, i)));
  rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(retractStanceId(pack.version)).setLabel(t(locale, 'verdict.retractButton')).setStyle(ButtonStyle.Secondary)));
  const card = renderStanding(pack.headlinePoll.question, standing, answers.map((a) => a.emoji), now, locale);
  return layoutMessage([cardPanel(card, rows.map((row): Block => ({ kind: 'row', row })))]);
}

/**
 * A chart as an attachment (its alt text as the attachment's description) with its numbers in the
 * message text for screen readers. Numbers that don't fit in a message come as a text file too.
 */
export function chartMessage(chart: Chart, heading: string, name: string) {
  const files = [new AttachmentBuilder(chart.png, { name: `${name}.png`, description: chart.alt.slice(0, 1024) })];
  let content = `${heading}\n${chart.text}`;
  if (content.length > CONTENT_MAX) {
    const note = `\n… every day's numbers are in ${name}.txt`;
    const lines = chart.text.split('\n');
    const kept: string[] = [];
    // The newest days first: they are what members ask about.
    for (let i = lines.length - 1; i >= 0; i--) {
      if (heading.length + note.length + [lines[i], ...kept].join('\n').length + 2 > CONTENT_MAX) break;
      kept.unshift(lines[i]!);
    }
    content = `${heading}\n${kept.join('\n')}${note}`;
    files.push(new AttachmentBuilder(Buffer.from(chart.text, 'utf8'), { name: `${name}.txt`, description: 'The numbers of the chart, one line per day' }));
  }
  return { content, files, allowedMentions: { parse: [] } };
}

/** /verdict forget: what will be deleted, and the button that does it. */
export function forgetPrompt(locale?: string) {
  return {
    content: t(locale, 'verdict.forgetPrompt'),
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(FORGET_ID).setLabel(t(locale, 'verdict.forgetButton')).setStyle(ButtonStyle.Danger))],
  };
}

/** The private confirmation after a stance button. */
export function stanceConfirmation(result: StanceResult, labels: string[], answer: number, locale?: string): string {
  const vars = { answer: labels[answer] ?? '?', previous: labels[result.previous ?? -1] ?? '?' };
  return t(locale, result.kind === 'unchanged' ? 'verdict.stanceSame' : result.kind === 'changed' ? 'verdict.stanceChanged' : 'verdict.stanceRecorded', vars);
}

export function retractConfirmation(result: RetractStanceResult, labels: string[], locale?: string): string {
  return result.kind === 'retracted' ? t(locale, 'verdict.stanceRetracted', { answer: labels[result.previous ?? -1] ?? '?' }) : t(locale, 'verdict.noStance');
}

/** After /verdict forget's button: the prompt (private to the member) loses its button. */
export function forgottenMessage(locale?: string) {
  return { content: t(locale, 'verdict.forgotten'), components: [] };
}

/** The private answer to a reading prompt's button: what was recorded, or that it already was. `label` is the answer's, null for "not sure". */
export function readingAnswer(phase: 'before' | 'after', recorded: boolean, label: string | null, locale?: string): string {
  if (!recorded) return t(locale, 'verdict.readingAgain');
  return t(locale, phase === 'before' ? 'verdict.readingBefore' : 'verdict.readingAfter', { answer: label ?? t(locale, 'verdict.notSure') });
}
