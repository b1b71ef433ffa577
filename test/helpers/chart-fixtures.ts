/**
 * The reference charts under test/fixtures/charts/: what each is drawn from. `npm run charts:fixtures`
 * redraws them (after a deliberate change to the charts; look at them before committing).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shiftsChart } from '../../src/charts/shifts.js';
import { trendChart } from '../../src/charts/trend.js';
import type { Chart } from '../../src/charts/types.js';

export const CHART_DIR = join(import.meta.dirname, '..', 'fixtures', 'charts');
const labels = ['Folk hero', 'Villain', 'Both', 'Too early to tell'];

export const CHART_CASES: Record<string, () => Promise<Chart>> = {
  'trend-week': () =>
    trendChart({
      labels,
      days: [
        { day: '2026-01-16', counts: [12, 30, 8, 50] },
        { day: '2026-01-17', counts: [14, 33, 9, 44] },
        { day: '2026-01-18', counts: null },
        { day: '2026-01-19', counts: [15, 41, 10, 34] },
        { day: '2026-01-20', counts: [17, 46, 11, 26] },
        { day: '2026-01-21', counts: [20, 44, 12, 24] },
        { day: '2026-01-22', counts: [22, 45, 13, 20] },
      ],
    }),
  'trend-one-day': () => trendChart({ labels, days: [{ day: '2026-01-16', counts: [1, 3, 0, 1] }] }),
  shifts: () =>
    shiftsChart({
      labels,
      shifts: [
        { from: 1, to: 3, count: 12 },
        { from: 0, to: 1, count: 5 },
        { from: null, to: 2, count: 7 },
        { from: 3, to: 3, count: 9 },
      ].sort((a, b) => b.count - a.count),
    }),
};

if (process.argv[1] === import.meta.filename) {
  for (const [name, draw] of Object.entries(CHART_CASES)) {
    const chart = await draw();
    writeFileSync(join(CHART_DIR, `${name}.png`), chart.png);
    console.log(`${name}.png: ${chart.png.length} bytes`);
  }
}
