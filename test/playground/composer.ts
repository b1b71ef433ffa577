/**
 * The composer's command line, as people type it to chat bots: `/story section section:what-happened`.
 * Parses it against the registered commands (names, subcommands, options, types) and suggests what can
 * come next: commands, subcommands, option names, choices, or the bot's own autocomplete.
 */
import { ApplicationCommandOptionType as Opt, type APIApplicationCommand, type APIApplicationCommandOption } from 'discord-api-types/v10';
import type { OptionValue } from '../loopback/index.js';

export interface ParsedLine {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  options: Record<string, OptionValue>;
  /** The option being typed last (`name:partial`), for autocomplete. */
  last?: { name: string; raw: string; def: APIApplicationCommandOption | undefined };
  /** What is typed after the command and subcommands and before any `name:` (a subcommand or option name being typed). */
  pending: string;
  /** Option definitions at the parsed level. */
  defs: APIApplicationCommandOption[];
  command: APIApplicationCommand | undefined;
}

export interface Names {
  /** Resolves `#news` / `news`, `@ben` / `ben`, `@Digest` to ids. */
  channel(name: string): string | undefined;
  user(name: string): string | undefined;
  role(name: string): string | undefined;
}

type Option = APIApplicationCommandOption & { options?: APIApplicationCommandOption[]; choices?: Array<{ name: string; value: string | number }>; autocomplete?: boolean };

/** Whether a word of `label` (after a space, # or @) starts with `typed`, ignoring case. */
const startsAWord = (label: string, typed: string): boolean => label.toLowerCase().split(/[\s#@]+/).some((word) => word.startsWith(typed.toLowerCase()));

const isGroup = (o: Option): boolean => o.type === Opt.Subcommand || o.type === Opt.SubcommandGroup;

/** `typing`: the last word is still being typed (a subcommand named in full may yet become a longer one). */
export function parseLine(line: string, commands: readonly APIApplicationCommand[], typing = false): ParsedLine {
  const text = line.replace(/^\//, '');
  const words = text.split(' ');
  const name = words.shift() ?? '';
  const command = commands.find((c) => c.name === name);
  let defs = (command?.options ?? []) as Option[];
  const parsed: ParsedLine = { name, options: {}, pending: '', defs, command };
  // Subcommand group and subcommand, as whole words.
  while (words.length > 0 && defs.some(isGroup)) {
    const word = words[0]!;
    const found = defs.find((d) => d.name === word && isGroup(d));
    if (!found || (typing && words.length === 1)) break;
    words.shift();
    if (found.type === Opt.SubcommandGroup) parsed.subcommandGroup = found.name;
    else parsed.subcommand = found.name;
    defs = found.options ?? [];
  }
  parsed.defs = defs;
  const rest = words.join(' ');
  // Options: `name:value`, a value running to the next known ` name:`.
  const names = defs.filter((d) => !isGroup(d)).map((d) => d.name);
  const marker = new RegExp(`(?:^|\\s)(${names.map((n) => n.replace(/[-]/g, '\\-')).join('|') || '\\u0000'}):`, 'g');
  const hits = [...rest.matchAll(marker)];
  parsed.pending = (hits.length > 0 ? rest.slice(0, hits[0]!.index) : rest).trim();
  if (hits.length === 0 && /\s$/.test(rest) === false) parsed.pending = rest.split(' ').at(-1) ?? '';
  hits.forEach((hit, i) => {
    const start = hit.index + hit[0].length;
    const end = i + 1 < hits.length ? hits[i + 1]!.index : rest.length;
    const raw = rest.slice(start, end);
    const def = defs.find((d) => d.name === hit[1]);
    const trimmed = i + 1 < hits.length ? raw.trim() : raw.replace(/^\s+/, '');
    parsed.last = { name: hit[1]!, raw: trimmed, def };
    parsed.options[hit[1]!] = trimmed.trim();
  });
  if (hits.length > 0) {
    const tail = rest.slice(hits.at(-1)!.index);
    parsed.pending = /\s$/.test(tail) && parsed.last && parsed.last.raw.trim() !== '' ? '' : parsed.pending;
  }
  return parsed;
}

/** The option values typed, converted to the types the registered command declares. */
export function typedOptions(parsed: ParsedLine, names: Names): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [key, raw] of Object.entries(parsed.options)) {
    const def = parsed.defs.find((d) => d.name === key) as Option | undefined;
    const text = String(raw);
    const choice = def?.choices?.find((c) => c.name.toLowerCase() === text.toLowerCase());
    switch (def?.type) {
      case Opt.Integer:
      case Opt.Number:
        out[key] = choice ? choice.value : Number(text);
        break;
      case Opt.Boolean:
        out[key] = /^(true|yes|1|on)$/i.test(text);
        break;
      case Opt.Channel:
        out[key] = names.channel(text.replace(/^#/, '')) ?? text;
        break;
      case Opt.User:
        out[key] = names.user(text.replace(/^@/, '')) ?? text;
        break;
      case Opt.Role:
        out[key] = names.role(text.replace(/^@/, '')) ?? text;
        break;
      case Opt.Mentionable:
        out[key] = names.user(text.replace(/^@/, '')) ?? names.role(text.replace(/^@/, '')) ?? text;
        break;
      default:
        out[key] = choice ? choice.value : text;
    }
  }
  return out;
}

export interface Suggestion {
  label: string;
  description?: string;
  /** The whole line after picking it. */
  line: string;
}

/** Suggestions that need no bot: commands, subcommands, option names and fixed choices. `undefined`: ask the bot (autocomplete). */
export function staticSuggestions(line: string, commands: readonly APIApplicationCommand[], lists: { channels: string[]; users: string[]; roles: string[] }): Suggestion[] | undefined {
  if (!line.startsWith('/')) return [];
  if (!line.includes(' ')) {
    const prefix = line.slice(1).toLowerCase();
    return commands.filter((c) => c.name.startsWith(prefix)).map((c) => ({ label: `/${c.name}`, description: c.description, line: `/${c.name} ` }));
  }
  const parsed = parseLine(line, commands, true);
  if (!parsed.command) return [];
  const defs = parsed.defs as Option[];
  const typed = line.endsWith(' ') ? '' : (line.split(' ').at(-1) ?? '');
  const before = line.slice(0, line.length - typed.length);
  if (defs.some(isGroup)) {
    return defs.filter((d) => d.name.startsWith(typed)).map((d) => ({ label: d.name, description: d.description, line: `${before}${d.name} ` }));
  }
  const optionNames = (): Suggestion[] =>
    defs
      .filter((d) => !Object.hasOwn(parsed.options, d.name) && d.name.startsWith(typed))
      .map((d) => ({ label: `${d.name}:`, description: `${d.required === true ? '(required) ' : ''}${d.description}`, line: `${before}${d.name}:` }));
  if (!parsed.last) return optionNames();
  // After a value and a space, the next option's name (a value may hold spaces, so only if one fits).
  if (parsed.last.raw.trim() !== '' && (typed === '' || parsed.last.raw.trim().includes(' '))) {
    const next = optionNames();
    if (next.length > 0) return next;
  }
  const { def, raw } = parsed.last;
  const option = def as Option | undefined;
  if (!option) return [];
  if (option.autocomplete === true) return undefined;
  const base = line.slice(0, line.length - raw.length);
  const pick = (values: Array<{ label: string; value: string }>): Suggestion[] =>
    values.filter((v) => startsAWord(v.label, raw.trim().replace(/^[#@]/, ''))).slice(0, 25).map((v) => ({ label: v.label, line: `${base}${v.value} ` }));
  if (option.choices) return pick(option.choices.map((c) => ({ label: c.name, value: c.name })));
  if (option.type === Opt.Boolean) return pick([{ label: 'true', value: 'true' }, { label: 'false', value: 'false' }]);
  if (option.type === Opt.Channel) return pick(lists.channels.map((c) => ({ label: `#${c}`, value: `#${c}` })));
  if (option.type === Opt.User) return pick(lists.users.map((u) => ({ label: `@${u}`, value: `@${u}` })));
  if (option.type === Opt.Role) return pick(lists.roles.map((r) => ({ label: `@${r}`, value: `@${r}` })));
  return [];
}
