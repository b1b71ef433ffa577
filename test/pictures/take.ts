/**
 * `npm run pictures`: the README's pictures. Starts the loopback Discord and the real bot in-process
 * (as the journeys do), plays one short scenario per command (scenarios.ts), renders what the bot
 * sent to HTML (render.ts) and photographs each page with headless Chromium, cropped to its content,
 * into test/pictures/<name>.png.
 *
 *   npm run pictures                       # every picture, into test/pictures/
 *   npm run pictures -- help poll-start    # only these
 *   npm run pictures -- --out /tmp/p --html  # elsewhere, keeping the HTML pages too
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { startJourney } from '../e2e/harness.js';
import { FakeClock } from '../helpers/fake-clock.js';
import type { Loopback } from '../loopback/index.js';
import { EVERYONE_PERMISSIONS } from '../loopback/state.js';
import { Camera, findChromium, INSTALL_HINT } from './chromium.js';
import { renderPage, type PageEntry } from './render.js';
import { SCENARIOS, type World } from './scenarios.js';

export const PICTURES_DIR = dirname(fileURLToPath(import.meta.url));
/** CSS width of every picture. */
export const WIDTH = 720;
/** The pictures' clock: 08:00 in Berlin, an hour before the 09:00 digest. */
const START = Date.parse('2026-06-10T06:00:00Z');
const TIME_ZONE = 'Europe/Berlin';

export interface Picture {
  name: string;
  file: string;
  bytes: number;
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR chunk; throws when `png` is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface TakeOptions {
  /** Scenario names to run (default: all). */
  only?: string[];
  outDir?: string;
  /** Also write each page's HTML next to its PNG. */
  html?: boolean;
  chromium: string;
  log?: (line: string) => void;
}

export async function takePictures(opts: TakeOptions): Promise<Picture[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const unknown = (opts.only ?? []).filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`No scenario named ${unknown.join(', ')}; there are: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const scenarios = SCENARIOS.filter((s) => !opts.only?.length || opts.only.includes(s.name));
  const outDir = resolve(opts.outDir ?? PICTURES_DIR);
  mkdirSync(outDir, { recursive: true });

  const clock = new FakeClock(START);
  const j = await startJourney({ clock, guilds: [{ name: 'Tamasha Club', channels: [{ name: 'general' }, { name: 'news' }] }] });
  const camera = await Camera.open(opts.chromium).catch(async (error: unknown) => {
    await j.close();
    throw error;
  });
  const guild = j.loop.guilds[0]!;
  const asha = j.loop.member({ username: 'asha', permissions: EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageGuild });
  const world: World = { j, clock, asha, channels: { general: guild.channelId('general'), news: guild.channelId('news') }, users: { [asha.id]: 'asha' }, roles: {} };
  const pictures: Picture[] = [];
  const failures: string[] = [];
  try {
    for (const scenario of scenarios) {
      try {
        const entries = await scenario.run(world);
        const violations = j.loop.takeViolations();
        if (violations.length > 0) throw new Error(`Discord would have refused: ${violations.map((v) => `${v.method} ${v.path} ${v.code} ${v.message}`).join('; ')}`);
        const html = page(world, entries, scenario.caption);
        const png = await camera.photograph(html, WIDTH);
        const file = join(outDir, `${scenario.name}.png`);
        writeFileSync(file, png);
        if (opts.html) writeFileSync(join(outDir, `${scenario.name}.html`), html);
        const size = pngSize(png);
        pictures.push({ name: scenario.name, file, bytes: png.length, ...size });
        log(`${scenario.name}.png  ${size.width}×${size.height}  ${(png.length / 1024).toFixed(0)} KB`);
      } catch (error) {
        failures.push(`${scenario.name}: ${error instanceof Error ? error.message : String(error)}`);
        log(`${scenario.name}: FAILED ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await camera.close();
    await j.close();
  }
  if (failures.length > 0) throw new Error(`${failures.length} picture(s) failed:\n  ${failures.join('\n  ')}`);
  return pictures;
}

/**
 * The images the bot uploaded with a message, as data: URLs by file name, so that the rendered page
 * shows attachment://name in a gallery, thumbnail or embed.
 */
export function mediaOf(loop: Pick<Loopback, 'filesOf'>, messageId: string): Record<string, string> {
  const media: Record<string, string> = {};
  for (const file of loop.filesOf(messageId)) {
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.contentType)) media[file.filename] = `data:${file.contentType};base64,${file.data.toString('base64')}`;
  }
  return media;
}

/** The page of one scenario, mentions named (relative times count from each message's own time). */
function page(w: World, entries: PageEntry[], caption: string): string {
  const channels = Object.fromEntries(w.j.loop.guilds[0]!.channels.map((c) => [c.id, c.name]));
  const media: Record<string, string> = {};
  for (const entry of entries) {
    const id = 'kind' in entry ? undefined : entry.id;
    if (id) Object.assign(media, mediaOf(w.j.loop, id));
  }
  return renderPage(entries, { caption, width: WIDTH, authorName: 'tamasha', timeZone: TIME_ZONE, users: w.users, roles: w.roles, channels, media });
}

async function main(argv: string[]): Promise<number> {
  const chromium = findChromium();
  if (!chromium) {
    console.error(`npm run pictures needs Chromium, and found none.\n${INSTALL_HINT}`);
    return 1;
  }
  const out = argv.indexOf('--out');
  const only = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out');
  const started = Date.now();
  try {
    const pictures = await takePictures({ chromium, only, html: argv.includes('--html'), ...(out === -1 ? {} : { outDir: argv[out + 1]! }) });
    console.log(`${pictures.length} picture(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
