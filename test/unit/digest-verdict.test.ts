import { describe, expect, it } from 'vitest';
import { trendChart } from '../../src/charts/trend.js';
import type { TrendInput } from '../../src/charts/types.js';
import { DIGEST_CHART_NAME, digestVerdict, type VerdictForDigest } from '../../src/digest-verdict.js';
import { composeDigest } from '../../src/digests/compose.js';
import { createLogger } from '../../src/logger.js';
import { loadStoryPack } from '../../src/story/load.js';

const pack = loadStoryPack('data');
const labels = ['Folk hero', 'Villain'];

/** A logger whose lines are kept, to see what was logged. */
function capture() {
  const lines: Array<{ msg: string; level: number }> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string; level: number }) });
  return { logger, lines };
}

function verdictWith(trend: TrendInput, movement: string | null): VerdictForDigest & { snapshots: number } {
  const v = { snapshots: 0, hasVerdict: async () => true, snapshotIfDue: async () => void v.snapshots++, movementLine: async () => movement, trend: async () => trend };
  return v;
}

const week: TrendInput = { labels, days: [{ day: '2026-06-10', counts: [2, 3] }, { day: '2026-06-11', counts: [1, 4] }] };

describe("the digest's verdict part (src/digest-verdict.ts)", () => {
  it('takes the due snapshot first, then gives the movement line and the trend chart as a PNG', async () => {
    const v = verdictWith(week, 'Villain 60% → 80% since yesterday');
    const { logger } = capture();
    const part = await digestVerdict(v, (t) => trendChart(t), logger).forDigest('g');
    expect(v.snapshots).toBe(1);
    expect(part.movement).toBe('Villain 60% → 80% since yesterday');
    expect(part.chart?.name).toBe(DIGEST_CHART_NAME);
    expect(part.chart?.png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('a chart that fails to draw is left out and logged; the movement stays', async () => {
    const { logger, lines } = capture();
    const part = await digestVerdict(verdictWith(week, 'Villain 60% → 80% since yesterday'), () => Promise.reject(new Error('no fonts')), logger).forDigest('g');
    expect(part).toEqual({ movement: 'Villain 60% → 80% since yesterday', chart: null });
    expect(lines.some((l) => l.level === 40 && /without its verdict chart/.test(l.msg))).toBe(true);
  });

  it('asks nothing more of a server without a verdict (no snapshot to wait for)', async () => {
    const v = verdictWith(week, 'x');
    v.hasVerdict = async () => false;
    expect(await digestVerdict(v, () => Promise.reject(new Error('not called')), capture().logger).forDigest('g')).toEqual({ movement: null, chart: null });
    expect(v.snapshots).toBe(0);
  });

  it('draws no chart before the first snapshot', async () => {
    const part = await digestVerdict(verdictWith({ labels, days: [] }, null), () => Promise.reject(new Error('not called')), capture().logger).forDigest('g');
    expect(part).toEqual({ movement: null, chart: null });
  });

  it('a verdict that cannot be read leaves the digest without its verdict field, logged, never failed', async () => {
    const { logger, lines } = capture();
    const verdict = { forDigest: () => Promise.reject(new Error('store down')) };
    const { content } = await composeDigest({ pack, headline: { latest: async () => null }, verdict, logger }, 'g', undefined);
    expect(content.card.title).toMatch(/^Day 1 of the story/);
    expect(content.card.fields?.map((f) => f.name)).not.toContain("🧭 The server's verdict");
    expect(content.chart).toBeNull();
    expect(lines.some((l) => l.level === 40 && /without the verdict's movement and chart/.test(l.msg))).toBe(true);
  });
});
