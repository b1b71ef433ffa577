import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { clip } from '../card.js';

/** DejaVu Sans is on nearly every Linux machine; any sans the system has otherwise. */
const FAMILY = GlobalFonts.has('DejaVu Sans') ? '"DejaVu Sans"' : 'sans-serif';
export const font = (px: number, bold = false): string => `${bold ? 'bold ' : ''}${px}px ${FAMILY}`;

/** Okabe–Ito colours, told apart with colour blindness; each stance also gets its own marker. */
export const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
export const colourOf = (i: number): string => COLOURS[i % COLOURS.length]!;
export const INK = '#1f2328';
export const MUTED = '#59636e';
export const GRID = '#d0d7de';
export const PAPER = '#ffffff';

/** 'YYYY-MM-DD' as 'Jan 16' (the chart's axis; the text keeps the full date). */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${date.toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${date.getUTCDate()}`;
}

export const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** A white canvas of `width` × `height` with the chart's title in the top left, as every chart starts. */
export function titledCanvas(width: number, height: number, title: string): { canvas: Canvas; ctx: SKRSContext2D } {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = INK;
  ctx.font = font(18, true);
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(clip(title, 70, { atWord: false }), 20, 30);
  return { canvas, ctx };
}
