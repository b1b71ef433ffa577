import { blockQuote, type Card, clip, COLORS, escapeMarkdown } from '../card.js';
import { sectionSummaryIn, takeIn } from '../story/index.js';
import type { StoryPack } from '../story/types.js';
import { t } from '../i18n/index.js';
import { inert } from '../text/inert.js';
import type { DigestChart, DigestDebate, DigestVerdict, PollStandings } from './types.js';

export interface DigestContent {
  card: Card;
  threadName: string;
  /** The language it is written in: the server's preferred locale; undefined is English. */
  locale?: string;
  /** The verdict's trend chart, posted as an attachment shown in the digest; null: none. */
  chart: DigestChart | null;
}

/** The verdict's field: the day's movement ("Villain 41% → 46% since yesterday"); none without a snapshot yet. */
function verdictField(verdict: DigestVerdict | null, locale?: string): Array<{ name: string; value: string }> {
  if (!verdict || (!verdict.movement && !verdict.chart)) return [];
  const movement = verdict.movement ?? t(locale, 'digest.verdictFirst');
  return [{ name: `🧭 ${t(locale, 'digest.verdictTitle')}`, value: clip(`${movement}\n${t(locale, 'digest.verdictHint')}`, 1024) }];
}

/** The top argument on each side, and the developments since the last digest: a field each, when there are any. */
function debateFields(debate: DigestDebate | null, locale?: string): Array<{ name: string; value: string }> {
  if (!debate) return [];
  const lines = (items: string[]) => clip(items.join('\n'), 1024);
  return [
    ...(debate.arguments.length > 0 ? [{ name: `🗣️ ${t(locale, 'digest.argumentsTitle')}`, value: lines(debate.arguments) }] : []),
    ...(debate.developments.length > 0 ? [{ name: `🆕 ${t(locale, 'digest.developmentsTitle')}`, value: lines(debate.developments) }] : []),
  ];
}

function pollLines(standings: PollStandings | null, previous: number[] | null, locale: string | undefined): string {
  if (!standings) return t(locale, 'digest.noPoll');
  if (standings.hidden) return t(locale, 'digest.hiddenSoFar', { voters: standings.voters });
  const lines = standings.labels.map((label, i) => {
    const count = standings.counts[i] ?? 0;
    const pct = standings.voters === 0 ? 0 : Math.round((count / standings.voters) * 100);
    const change = previous ? count - (previous[i] ?? 0) : null;
    const since = change === null ? '' : change === 0 ? ` (${t(locale, 'digest.noChange')})` : ` (${t(locale, 'digest.sinceLast', { change: `${change > 0 ? '+' : ''}${change}` })})`;
    return `**${inert(label)}**: ${count} · ${pct}%${since}`;
  });
  return `${lines.join('\n')}\n${t(locale, 'digest.votersSoFar', { voters: standings.voters })}`;
}

/**
 * Day N of the story: the spotlight walks through the sections in order, the take through the
 * stakeholders, and the question of the day is a stakeholder's question offset from the take so
 * the two don't repeat each other.
 */
export function renderDigest(pack: StoryPack, day: number, standings: PollStandings | null, previous: number[] | null, verdict: DigestVerdict | null = null, locale?: string, debate: DigestDebate | null = null): DigestContent {
  const sections = pack.story.sections;
  const holders = pack.stakeholders;
  const section = sections[(day - 1) % sections.length]!;
  const holder = takeIn(pack, holders[(day - 1) % holders.length]!, locale);
  const asker = takeIn(pack, holders[(day + 1) % holders.length]!, locale);
  const quote = holder.quotes[0];
  return {
    card: {
      title: clip(t(locale, 'digest.title', { day, title: pack.story.title }), 256),
      description: clip(`**${t(locale, 'digest.spotlight', { title: section.title })}**\n${sectionSummaryIn(pack, section, locale)}`, 4096),
      fields: [
        { name: `${holder.emoji} ${t(locale, 'digest.take', { name: holder.name })}`.slice(0, 256), value: clip(`${holder.position}${quote ? `\n${blockQuote(`“${escapeMarkdown(quote.text)}”`)}` : ''}`, 1024) },
        { name: `📊 ${standings ? inert(clip(standings.question, 240)) : clip(t(locale, 'digest.pollFallback'), 240)}`, value: clip(pollLines(standings, previous, locale), 1024) },
        ...verdictField(verdict, locale),
        ...debateFields(debate, locale),
        { name: `💬 ${t(locale, 'digest.question')}`, value: clip(asker.question, 1024) },
      ],
      footer: `${t(locale, 'digest.footer')} · ${pack.story.disclaimer}`.slice(0, 2048),
      color: COLORS.digest,
    },
    threadName: clip(t(locale, 'digest.thread', { day, title: section.title }), 100),
    ...(locale ? { locale } : {}),
    chart: verdict?.chart ?? null,
  };
}
