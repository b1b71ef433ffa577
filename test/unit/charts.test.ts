import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, type Image, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { shiftsText } from '../../src/charts/shifts.js';
import { trendChart, trendText } from '../../src/charts/trend.js';
import { CHART_CASES, CHART_DIR } from '../helpers/chart-fixtures.js';

/** A channel differing by more than this is a changed pixel; less is antialiasing or font hinting. */
const CHANNEL_TOLERANCE = 48;
/** At most this share of pixels may change (text drawn a pixel aside on another machine's fonts). */
const MAX_CHANGED = 0.01;

function pixels(image: Image): Uint8ClampedArray {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height).data;
}

/** Share of pixels whose colour differs beyond the tolerance; 1 when the sizes differ. */
async function changedShare(actual: Buffer, expected: Buffer): Promise<number> {
  const [a, b] = await Promise.all([loadImage(actual), loadImage(expected)]);
  if (a.width !== b.width || a.height !== b.height) return 1;
  const [pa, pb] = [pixels(a), pixels(b)];
  let changed = 0;
  for (let i = 0; i < pa.length; i += 4) {
    if (Math.abs(pa[i]! - pb[i]!) > CHANNEL_TOLERANCE || Math.abs(pa[i + 1]! - pb[i + 1]!) > CHANNEL_TOLERANCE || Math.abs(pa[i + 2]! - pb[i + 2]!) > CHANNEL_TOLERANCE) changed++;
  }
  return changed / (pa.length / 4);
}

/** Pixels that are neither the white paper nor near it: proof something (text, lines) was drawn. */
async function inkedShare(png: Buffer, box: { x: number; y: number; w: number; h: number }): Promise<number> {
  const image = await loadImage(png);
  const data = pixels(image);
  let inked = 0;
  for (let y = box.y; y < box.y + box.h; y++) for (let x = box.x; x < box.x + box.w; x++) if (data[(y * image.width + x) * 4]! < 160) inked++;
  return inked / (box.w * box.h);
}

const labels = ['Folk hero', 'Villain', 'Both', 'Too early to tell'];

describe('charts', () => {
  for (const [name, draw] of Object.entries(CHART_CASES)) {
    it(`draws ${name} like its reference image (npm run charts:fixtures redraws them)`, async () => {
      const chart = await draw();
      expect(chart.png.subarray(1, 4).toString()).toBe('PNG');
      expect(chart.png.length).toBeLessThan(300 * 1024);
      expect(await changedShare(chart.png, readFileSync(join(CHART_DIR, `${name}.png`)))).toBeLessThan(MAX_CHANGED);
    });
  }

  it('tells a changed chart from its reference', async () => {
    const other = await trendChart({ labels, days: [{ day: '2026-01-16', counts: [5, 0, 0, 0] }, { day: '2026-01-17', counts: [0, 5, 0, 0] }] });
    expect(await changedShare(other.png, readFileSync(join(CHART_DIR, 'trend-week.png')))).toBeGreaterThan(MAX_CHANGED);
  });

  it('renders text with the system fonts (the title is not blank)', async () => {
    const chart = await trendChart({ labels, days: [] });
    expect(await inkedShare(chart.png, { x: 20, y: 12, w: 300, h: 24 })).toBeGreaterThan(0.05);
  });

  it('gives every number as text for screen readers', async () => {
    const days = [
      { day: '2026-01-16', counts: [1, 3, 0, 1] },
      { day: '2026-01-17', counts: null },
    ];
    expect(trendText({ labels, days })).toBe('2026-01-16: Folk hero 20% (1), Villain 60% (3), Both 0% (0), Too early to tell 20% (1); 5 members\n2026-01-17: no snapshot (the bot was not running)');
    const chart = await trendChart({ labels, days });
    expect(chart.alt).toMatch(/line chart over 2 days from 2026-01-16 to 2026-01-16: Folk hero 20% → 20%, Villain 60% → 60%/);
    expect(shiftsText({ labels, shifts: [{ from: 1, to: 3, count: 12 }, { from: null, to: 0, count: 5 }, { from: 2, to: 2, count: 6 }] })).toBe('12 moved from Villain to Too early to tell\n5 moved from No stance to Folk hero\n6 stayed with Both');
  });
});
