/**
 * Reading what an admin types for a digest schedule: a time of day and an IANA time zone, plus
 * the time-zone autocomplete. Errors are UserErrors: their message is shown to the admin.
 */
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../constants.js';
import { UserError } from '../errors.js';
import { inert } from '../text/inert.js';
import { formatOffset, offsetAt } from './wall-clock.js';

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export interface ZoneChoice {
  /** Shown in the autocomplete list, e.g. 'Europe/Berlin (UTC+01:00)'. ≤ 100 chars. */
  name: string;
  /** The zone itself, e.g. 'Europe/Berlin'. ≤ 100 chars. */
  value: string;
}

/**
 * Current names that Node 20's ICU knows only under their old spelling, mapped to that spelling.
 * `Intl.DateTimeFormat` accepts both, but `supportedValuesOf` lists only the old one, and people
 * type the new one.
 */
const MODERN_TO_LEGACY: Record<string, string> = {
  'Asia/Kolkata': 'Asia/Calcutta',
  'Europe/Kyiv': 'Europe/Kiev',
  'Asia/Yangon': 'Asia/Rangoon',
  'Asia/Ho_Chi_Minh': 'Asia/Saigon',
  'Asia/Kathmandu': 'Asia/Katmandu',
  'America/Nuuk': 'America/Godthab',
  'Atlantic/Faroe': 'Atlantic/Faeroe',
  'Pacific/Kanton': 'Pacific/Enderbury',
};

const LEGACY_TO_MODERN = new Map(Object.entries(MODERN_TO_LEGACY).map(([modern, legacy]) => [legacy, modern]));


/** Parses 'H:MM' or 'HH:MM' in 24-hour time. */
export function parseTime(text: string): TimeOfDay {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) {
    throw UserError.of('digest.notATime', { input: quote(text) });
  }
  return { hour, minute };
}

/** 'HH:MM', the form to store. */
export function formatTime({ hour, minute }: TimeOfDay): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * Validates an IANA zone and returns its proper spelling ('europe/berlin' → 'Europe/Berlin',
 * 'asia/kolkata' → 'Asia/Kolkata'). Aliases not in the list resolve to ICU's canonical name.
 */
export function normaliseZone(text: string): string {
  const typed = text.trim();
  if (typed === '') throw UserError.of('digest.zoneEmpty');
  // Only IANA-style names: a letter first rules out offsets like '+02:00', which newer ICU accepts.
  if (typed.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(typed)) throw unknownZone(text);
  const known = zoneIndex().byLowerCase.get(typed.toLowerCase());
  if (known !== undefined) return known;
  const resolved = resolveZone(typed);
  if (resolved === undefined) throw unknownZone(text);
  return LEGACY_TO_MODERN.get(resolved) ?? resolved;
}

/** Autocomplete choices for a partly typed zone, best match first, at most `limit` (≤ MAX_CHOICES). */
export function matchZones(typed: string, limit = MAX_CHOICES, now: number = Date.now()): ZoneChoice[] {
  const query = searchable(typed.trim());
  const ranked: Array<{ zone: string; rank: number }> = [];
  for (const zone of zoneIndex().all) {
    const rank = matchRank(zone, query);
    if (rank !== undefined && !hiddenLegacy(zone, query)) ranked.push({ zone, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || (a.zone < b.zone ? -1 : 1));
  return ranked.slice(0, Math.max(0, Math.min(limit, MAX_CHOICES))).map(({ zone }) => ({
    name: `${zone} (${formatOffset(offsetAt(zone, now))})`.slice(0, MAX_CHOICE_LENGTH),
    value: zone.slice(0, MAX_CHOICE_LENGTH),
  }));
}

interface ZoneIndex {
  all: string[];
  byLowerCase: Map<string, string>;
  modernNames: Set<string>;
}

let index: ZoneIndex | undefined;

// Built on first use: supportedValuesOf allocates ~420 strings and not every process needs them.
function zoneIndex(): ZoneIndex {
  if (!index) {
    const modern = Object.keys(MODERN_TO_LEGACY).filter((zone) => resolveZone(zone) !== undefined);
    const all = [...new Set([...Intl.supportedValuesOf('timeZone'), ...modern, 'UTC'])].sort();
    index = { all, byLowerCase: new Map(all.map((zone) => [zone.toLowerCase(), zone])), modernNames: new Set(modern) };
  }
  return index;
}

function resolveZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined; // RangeError: not a zone ICU knows
  }
}

/** An old spelling is shown only when the query matches it but not its modern name ('calcutta'). */
function hiddenLegacy(zone: string, query: string): boolean {
  const modern = LEGACY_TO_MODERN.get(zone);
  return modern !== undefined && zoneIndex().modernNames.has(modern) && matchRank(modern, query) !== undefined;
}

/** 0: the city starts with the query, 1: the whole name does, 2: a word does, 3: anywhere; else no match. */
function matchRank(zone: string, query: string): number | undefined {
  const name = searchable(zone);
  if (!name.includes(query)) return undefined;
  if ((name.split('/').pop() ?? '').startsWith(query)) return 0;
  if (name.startsWith(query)) return 1;
  return name.split(/[/ ]/).some((word) => word.startsWith(query)) ? 2 : 3;
}

/** Lower case, and '_' or '-' as spaces, so 'new york' finds America/New_York. */
function searchable(text: string): string {
  return text.toLowerCase().replace(/[_-]/g, ' ').replace(/\s+/g, ' ');
}

function unknownZone(text: string): UserError {
  return UserError.of('digest.unknownZone', { input: quote(text) });
}

/** The admin's input echoed back, on one line and short. */
function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${inert(oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine)}"`;
}
