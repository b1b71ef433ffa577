import { blockQuote, type Card, clip, COLORS, escapeMarkdown } from '../card.js';
import type { StoryPack } from '../story/types.js';
import { inert } from '../text/inert.js';
import type { DigestChart, DigestVerdict, PollStandings } from './types.js';

export interface DigestContent {
  card: Card;
  threadName: string;
  /** The verdict's trend chart, posted as an attachment shown in the digest; null: none. */
  chart: DigestChart | null;
}

/** The verdict's field: the day's movement ("Villain 41% → 46% since yesterday"); none without a snapshot yet. */
function verdictField(verdict: DigestVerdict | null): Array<{ name: string; value: string }> {
  if (!verdict || (!verdict.movement && !verdict.chart)) return [];
  const movement = verdict.movement ?? 'The first daily snapshot of the verdict: its movement shows from the next one.';
  return [{ name: "🧭 The server's verdict", value: clip(`${movement}
State or change yours with /verdict now; /verdict trend shows more days.`, 1024) }];
}

function pollLines(standings: PollStandings | null, previous: number[] | null): string {
  if (!standings) return 'No "folk hero or villain?" poll yet. Start one with `/poll start` and let the server decide.';
  if (standings.hidden) return `${standings.voters} voted so far; results are shown when the poll closes.`;
  const lines = standings.labels.map((label, i) => {
    const count = standings.counts[i] ?? 0;
    const pct = standings.voters === 0 ? 0 : Math.round((count / standings.voters) * 100);
    const change = previous ? count - (previous[i] ?? 0) : null;
    const since = change === null ? '' : change === 0 ? ' (no change)' : ` (${change > 0 ? '+' : ''}${change} since the last digest)`;
    return `**${inert(label)}**: ${count} · ${pct}%${since}`;
  });
  return `${lines.join('\n')}\n${standings.voters} voters so far.`;
}

/**
 * Day N of the story: the spotlight walks through the sections in order, the take through the
 * stakeholders, and the question of the day is a stakeholder's question offset from the take so
 * the two don't repeat each other.
 */
export function renderDigest(pack: StoryPack, day: number, standings: PollStandings | null, previous: number[] | null, verdict: DigestVerdict | null = null): DigestContent {
  const sections = pack.story.sections;
  const holders = pack.stakeholders;
  const section = sections[(day - 1) % sections.length]!;
  const holder = holders[(day - 1) % holders.length]!;
  const asker = holders[(day + 1) % holders.length]!;
  const quote = holder.quotes[0];
  return {
    card: {
      title: clip(`Day ${day} of the story: ${pack.story.title}`, 256),
      description: clip(`**Spotlight: ${section.title}**\n${section.summary}`, 4096),
      fields: [
        { name: `${holder.emoji} Today's take: ${holder.name}`.slice(0, 256), value: clip(`${holder.position}${quote ? `\n${blockQuote(`“${escapeMarkdown(quote.text)}”`)}` : ''}`, 1024) },
        { name: `📊 ${clip(standings ? inert(standings.question) : 'Folk hero or villain?', 240)}`, value: clip(pollLines(standings, previous), 1024) },
        ...verdictField(verdict),
        { name: '💬 Question of the day', value: clip(asker.question, 1024) },
      ],
      footer: `Read more with /story section and /take view · ${pack.story.disclaimer}`.slice(0, 2048),
      color: COLORS.digest,
    },
    threadName: clip(`Day ${day}: ${section.title}`, 100),
    chart: verdict?.chart ?? null,
  };
}
