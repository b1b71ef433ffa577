import { clip } from '../card.js';
import { colourOf, font, GRID, INK, MUTED, titledCanvas } from './style.js';
import type { Chart, ShiftsInput } from './types.js';

const WIDTH = 800;
const ROW = 34;

const nameOf = (labels: string[], stance: number | null) => (stance === null ? 'No stance' : (labels[stance] ?? '?'));

/** One line per group: "12 moved from Villain to Too early to tell", or stayed. */
export function shiftsText(input: ShiftsInput): string {
  return input.shifts
    .map((s) => (s.from === s.to ? `${s.count} stayed with ${nameOf(input.labels, s.from)}` : `${s.count} moved from ${nameOf(input.labels, s.from)} to ${nameOf(input.labels, s.to)}`))
    .join('\n');
}

/** Horizontal bars, one per before → after group, largest first, each with its count. */
export async function shiftsChart(input: ShiftsInput, title = 'Did reading the story change minds?'): Promise<Chart> {
  const rows = input.shifts.slice(0, 16);
  const height = 110 + Math.max(rows.length, 1) * ROW;
  const { canvas, ctx } = titledCanvas(WIDTH, height, title);
  ctx.font = font(12);
  ctx.fillStyle = MUTED;
  ctx.fillText('Members by their stance before reading → after (groups of 5 or more only)', 20, 52);
  const left = 330;
  const right = WIDTH - 70;
  const max = Math.max(1, ...rows.map((r) => r.count));
  ctx.textBaseline = 'middle';
  if (rows.length === 0) {
    ctx.fillStyle = MUTED;
    ctx.font = font(14);
    ctx.fillText('No group of 5 or more members yet.', 20, 80 + ROW / 2);
  }
  rows.forEach((shift, i) => {
    const y = 70 + i * ROW;
    ctx.font = font(13);
    ctx.fillStyle = INK;
    ctx.textAlign = 'right';
    ctx.fillText(clip(`${nameOf(input.labels, shift.from)} → ${nameOf(input.labels, shift.to)}`, 44, { atWord: false }), left - 10, y + ROW / 2);
    ctx.fillStyle = shift.to === null ? MUTED : colourOf(shift.to);
    const width = ((right - left) * shift.count) / max;
    ctx.fillRect(left, y + 6, width, ROW - 12);
    ctx.fillStyle = INK;
    ctx.textAlign = 'left';
    ctx.fillText(String(shift.count), left + width + 6, y + ROW / 2);
  });
  ctx.strokeStyle = GRID;
  ctx.beginPath();
  ctx.moveTo(left, 64);
  ctx.lineTo(left, 76 + Math.max(rows.length, 1) * ROW);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.fillStyle = INK;
  ctx.fillText('Members', (left + right) / 2, height - 18);
  const text = shiftsText(input);
  const alt = clip(`${title}: bar chart. ${text ? text.replaceAll('\n', '; ') : 'No group of 5 or more members yet.'}`, 1024, { atWord: false });
  return { png: await canvas.encode('png'), alt, text };
}
