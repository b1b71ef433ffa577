import type { SKRSContext2D } from '@napi-rs/canvas';
import { clip, wholePercentages } from '../card.js';
import { colourOf, font, GRID, INK, MUTED, percent, shortDay, titledCanvas } from './style.js';
import type { Chart, TrendInput } from './types.js';

const WIDTH = 800;
const HEIGHT = 440;
const PLOT = { left: 70, right: 620, top: 50, bottom: 370 };
/** Where day `i` of `n` and a share (0–100) sit on the plot. */
const xAt = (i: number, n: number) => (n <= 1 ? (PLOT.left + PLOT.right) / 2 : PLOT.left + ((PLOT.right - PLOT.left) * i) / (n - 1));
const yAt = (share: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * share) / 100;

/** Each stance's share of the members with a stance, per day: a line per stance, a legend, axis labels. */
export async function trendChart(input: TrendInput, title = 'Where the server stands, day by day'): Promise<Chart> {
  const { canvas, ctx } = titledCanvas(WIDTH, HEIGHT, title);
  drawAxes(ctx, input);
  const n = input.days.length;
  const x = (i: number) => xAt(i, n);
  input.labels.forEach((_, stance) => {
    ctx.strokeStyle = ctx.fillStyle = colourOf(stance);
    ctx.lineWidth = 3;
    ctx.beginPath();
    // Each day's point, worked out once for the line and its markers; null: no data that day.
    const points = input.days.map((day, i) => (day.counts ? { x: x(i), y: yAt(percent(day.counts[stance] ?? 0, sum(day.counts))) } : null));
    let drawing = false;
    for (const point of points) {
      if (!point) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(point.x, point.y);
      else ctx.moveTo(point.x, point.y);
      drawing = true;
    }
    ctx.stroke();
    for (const point of points) if (point) marker(ctx, stance, point.x, point.y);
  });
  // A missing day: a dashed grey line and "no data" under the axis.
  ctx.strokeStyle = MUTED;
  ctx.fillStyle = MUTED;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.font = font(11);
  ctx.textAlign = 'center';
  input.days.forEach((day, i) => {
    if (day.counts) return;
    ctx.beginPath();
    ctx.moveTo(x(i), PLOT.top);
    ctx.lineTo(x(i), PLOT.bottom);
    ctx.stroke();
    ctx.fillText('no data', x(i), PLOT.top - 6);
  });
  ctx.setLineDash([]);
  drawLegend(ctx, input.labels);
  return { png: await canvas.encode('png'), alt: trendAlt(input, title), text: trendText(input) };
}

function drawAxes(ctx: SKRSContext2D, input: TrendInput): void {
  ctx.strokeStyle = GRID;
  ctx.fillStyle = MUTED;
  ctx.lineWidth = 1;
  ctx.font = font(12);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let share = 0; share <= 100; share += 25) {
    const y = yAt(share);
    ctx.beginPath();
    ctx.moveTo(PLOT.left, y);
    ctx.lineTo(PLOT.right, y);
    ctx.stroke();
    ctx.fillText(`${share}%`, PLOT.left - 8, y);
  }
  const n = input.days.length;
  const every = Math.max(1, Math.ceil(n / 10));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  input.days.forEach((day, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    ctx.fillText(shortDay(day.day), xAt(i, n), PLOT.bottom + 8);
  });
  ctx.fillStyle = INK;
  ctx.font = font(13);
  ctx.fillText('Day (snapshot taken once a day)', (PLOT.left + PLOT.right) / 2, PLOT.bottom + 34);
  ctx.save();
  ctx.translate(18, (PLOT.top + PLOT.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText('Share of members with a stance', 0, 0);
  ctx.restore();
}

function drawLegend(ctx: SKRSContext2D, labels: string[]): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = font(13);
  labels.forEach((label, stance) => {
    const y = PLOT.top + 14 + stance * 26;
    ctx.strokeStyle = ctx.fillStyle = colourOf(stance);
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(PLOT.right + 20, y);
    ctx.lineTo(PLOT.right + 48, y);
    ctx.stroke();
    marker(ctx, stance, PLOT.right + 34, y);
    ctx.fillStyle = INK;
    ctx.fillText(clip(label, 18, { atWord: false }), PLOT.right + 56, y);
  });
}

/** A different marker per stance (circle, square, triangle, diamond), so lines are told apart without colour. */
function marker(ctx: SKRSContext2D, stance: number, x: number, y: number): void {
  const r = 5;
  ctx.beginPath();
  switch (stance % 4) {
    case 0:
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 1:
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      break;
    case 2:
      ctx.moveTo(x, y - r - 1);
      ctx.lineTo(x + r + 1, y + r);
      ctx.lineTo(x - r - 1, y + r);
      ctx.closePath();
      break;
    default:
      ctx.moveTo(x, y - r - 1);
      ctx.lineTo(x + r + 1, y);
      ctx.lineTo(x, y + r + 1);
      ctx.lineTo(x - r - 1, y);
      ctx.closePath();
  }
  ctx.fill();
}

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** One line per day: each stance's share and count, or that the day is missing. */
export function trendText(input: TrendInput): string {
  return input.days
    .map((day) => {
      if (!day.counts) return `${day.day}: no snapshot (the bot was not running)`;
      const shares = wholePercentages(day.counts);
      return `${day.day}: ${input.labels.map((label, i) => `${label} ${shares[i] ?? 0}% (${day.counts![i] ?? 0})`).join(', ')}; ${sum(day.counts)} members`;
    })
    .join('\n');
}

function trendAlt(input: TrendInput, title: string): string {
  const taken = input.days.filter((d) => d.counts);
  const first = taken[0];
  const last = taken.at(-1);
  const share = (d: { counts: number[] | null } | undefined, i: number) => (d?.counts ? (wholePercentages(d.counts)[i] ?? 0) : 0);
  const moves = input.labels.map((label, i) => `${label} ${share(first, i)}% → ${share(last, i)}%`).join(', ');
  return clip(`${title}: line chart over ${input.days.length} days${taken.length ? ` from ${first!.day} to ${last!.day}: ${moves}` : ', no snapshot yet'}.`, 1024, { atWord: false });
}
