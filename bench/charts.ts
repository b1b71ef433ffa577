import { shiftsChart } from '../src/charts/shifts.js';
import { trendChart } from '../src/charts/trend.js';
import type { Chart } from '../src/charts/types.js';
import { timeCalls } from './cli.js';

export interface ChartBench {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  bytes: number;
}

const labels = ['Folk hero', 'Villain', 'Both', 'Too early to tell'];

/** Draw call → PNG bytes in hand, in ms, `runs` times after a discarded warm-up. */
async function time(name: string, draw: () => Promise<Chart>, runs: number): Promise<ChartBench> {
  let bytes = 0;
  const figures = await timeCalls(async () => {
    bytes = (await draw()).png.length;
  }, runs);
  return { name, runs, ...figures, bytes };
}

export async function benchCharts(runs = 30): Promise<ChartBench[]> {
  const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const trend = (n: number) => ({ labels, days: Array.from({ length: n }, (_, i) => ({ day: day(i), counts: i % 13 === 5 ? null : [100 + i, 300 - i, 80 + (i % 7), 200 + ((i * 17) % 50)] })) });
  const shifts = { labels, shifts: Array.from({ length: 16 }, (_, i) => ({ from: i % 5 === 4 ? null : i % 4, to: (i + 1) % 4, count: 100 - i * 5 })) };
  return [
    await time('trend, 7 days', () => trendChart(trend(7)), runs),
    await time('trend, 90 days', () => trendChart(trend(90)), runs),
    await time('shifts, 16 groups', () => shiftsChart(shifts), runs),
  ];
}

export function printCharts(results: ChartBench[]): void {
  console.log('   chart               runs   p50 ms   p95 ms   max ms   PNG KB');
  for (const r of results) console.log(`   ${r.name.padEnd(18)}${String(r.runs).padStart(6)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}${(r.bytes / 1024).toFixed(1).padStart(9)}`);
  console.log('\nEach time is trendChart()/shiftsChart() called → PNG buffer returned (drawing, PNG encoding, the text). Target: < 200 ms each; Discord takes attachments up to 10 MB.\n');
}
