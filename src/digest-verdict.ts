import type { Chart, TrendInput } from './charts/types.js';
import type { DigestVerdict, VerdictSource } from './digests/types.js';
import type { Logger } from './logger.js';

/** Days the digest's trend chart covers. */
const DIGEST_TREND_DAYS = 7;
/** Discord's attachment size limit for a server without boosts: a chart above it is left out. */
const MAX_CHART_BYTES = 10 * 1024 * 1024;
export const DIGEST_CHART_NAME = 'verdict-trend.png';

/** What the digest needs of the verdict service (src/verdict/service.ts has these). */
export interface VerdictForDigest {
  hasVerdict(guildId: string): Promise<boolean>;
  snapshotIfDue(guildId: string): Promise<void>;
  movementLine(guildId: string): Promise<string | null>;
  trend(guildId: string, days: number): Promise<TrendInput>;
}

/**
 * The verdict's part of the daily digest, wired in src/bot.ts (the digests domain never reads the
 * verdict's internals): the day's snapshot first if it is due, then the movement line and the last
 * week's trend chart. A chart that fails to draw (or is too large) is left out and logged: the digest
 * goes out without it.
 */
export function digestVerdict(verdict: VerdictForDigest, draw: (trend: TrendInput) => Promise<Chart>, logger: Logger): VerdictSource {
  return {
    async forDigest(guildId: string): Promise<DigestVerdict> {
      // A server where nobody took a stance: no snapshot to wait for (they run one server after another).
      if (!(await verdict.hasVerdict(guildId))) return { movement: null, chart: null };
      await verdict.snapshotIfDue(guildId);
      const movement = await verdict.movementLine(guildId);
      const trend = await verdict.trend(guildId, DIGEST_TREND_DAYS);
      if (!trend.days.some((d) => d.counts)) return { movement, chart: null };
      try {
        const chart = await draw(trend);
        if (chart.png.length > MAX_CHART_BYTES) throw new RangeError(`the chart is ${chart.png.length} bytes, over Discord's ${MAX_CHART_BYTES}`);
        return { movement, chart: { png: chart.png, name: DIGEST_CHART_NAME, alt: chart.alt.slice(0, 1024) } };
      } catch (error) {
        logger.warn({ err: error, guildId }, 'the digest goes out without its verdict chart: drawing it failed');
        return { movement, chart: null };
      }
    },
  };
}
