import type { ArgumentService } from './arguments/service.js';
import type { Side } from './arguments/types.js';
import { clip } from './card.js';
import { isoDay } from './clock.js';
import type { DevelopmentService } from './developments/service.js';
import type { DebateSource, DigestDebate } from './digests/types.js';
import { sinceNote } from './discord/messages/developments.js';
import { t } from './i18n/index.js';
import { inert } from './text/inert.js';

/** An argument's words in the digest: at most this many characters (its card has them all). */
const DIGEST_ARGUMENT_CHARS = 140;

/**
 * The debate's part of the daily digest, wired in src/bot.ts (the digests domain reads neither domain):
 * for each side the best-ranked argument that everyone who reads the digest can see where it was posted
 * (hidden ones are never ranked), and the developments added since the previous digest, each attributed
 * to its source exactly as the "since publication" notes word it.
 */
export function digestDebate(debate: Pick<ArgumentService, 'top'>, sides: readonly Side[], developments: Pick<DevelopmentService, 'list'>): DebateSource {
  return {
    async forDigest(guildId, since, visible, locale): Promise<DigestDebate> {
      const lines: string[] = [];
      for (const side of sides) {
        const { items } = await debate.top(guildId, side.id, 0);
        const best = items.find((r) => r.argument.channelId !== null && visible(r.argument.channelId));
        if (best) lines.push(t(locale, 'digest.argumentLine', { side: inert(side.label), text: inert(clip(best.argument.text, DIGEST_ARGUMENT_CHARS)), upvotes: best.upvotes }));
      }
      const sinceDay = isoDay(since);
      const fresh = (await developments.list(guildId)).filter((d) => (d.origin === 'server' ? d.addedAt > since : d.date > sinceDay));
      return { arguments: lines, developments: fresh.map((d) => sinceNote(d, locale)) };
    },
  };
}
