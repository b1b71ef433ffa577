import { describe, expect, it } from 'vitest';
import { botStringCoverage, commandCoverage } from '../helpers/translation-coverage.js';

/**
 * The rule the i18n tests apply (test/unit/i18n-strings.test.ts, i18n-commands.test.ts): what one
 * language has, every language has (a half-done translation fails); what no language has yet is
 * listed as untranslated and shown in English, so a new command or reply needs no file per language.
 */
describe('bot strings', () => {
  const english = { 'poll.closed': 'Closed {{when}}', 'poll.count_one': '{{count}} vote', 'poll.count_other': '{{count}} votes', 'ping.pong': 'Pong, {{ms}} ms' };
  const full = { 'poll.closed': 'Geschlossen {{when}}', 'poll.count_one': '{{count}} Stimme', 'poll.count_other': '{{count}} Stimmen' };

  it('a string no language has yet is untranslated, not missing', () => {
    expect(botStringCoverage(english, { de: full, fr: { ...full } })).toEqual({ problems: { de: [], fr: [] }, untranslated: ['ping.pong'] });
  });

  it('a string one language has is missing from every language without it', () => {
    expect(botStringCoverage(english, { de: { ...full, 'ping.pong': 'Pong, {{ms}} ms' }, fr: full }).problems).toEqual({ de: [], fr: ['missing ping.pong'] });
    const { 'poll.closed': _closed, ...half } = full;
    expect(botStringCoverage(english, { de: full, fr: half }).problems.fr).toEqual(['missing poll.closed']);
  });

  it('a blank string is missing, and a language with one plural form has to have them all', () => {
    expect(botStringCoverage(english, { de: full, fr: { ...full, 'poll.closed': ' ' } }).problems.fr).toEqual(['missing poll.closed']);
    const { 'poll.count_one': _one, ...noOne } = full;
    expect(botStringCoverage(english, { de: full, fr: noOne }).problems.fr).toEqual(['missing poll.count_one']);
  });

  it('placeholders must match English, and a string English no longer has is stale', () => {
    const problems = botStringCoverage(english, { de: { ...full, 'poll.closed': 'Geschlossen {{wann}}', 'poll.gone': 'weg' } }).problems.de;
    expect(problems).toEqual(['poll.closed: placeholders wann vs when', 'stale poll.gone']);
  });
});

describe('command strings', () => {
  const definitions = [
    { name: 'poll', description: 'Polls', options: [{ name: 'start', description: 'Start one', options: [{ name: 'kind', description: 'Which', choices: [{ name: 'Yes/no', value: 'yesno' }] }, { name: 'private', description: 'Only you' }] }] },
    { name: 'ping', description: 'Is it up?', options: [{ name: 'private', description: 'Only you' }] },
  ];
  const poll = {
    poll: { name: 'umfrage', description: 'Umfragen' },
    'poll.start': { name: 'starten', description: 'Eine starten' },
    'poll.start.kind': { name: 'art', description: 'Welche', choices: { yesno: 'Ja/Nein' } },
    '*.private': { name: 'privat', description: 'Nur du' },
  };

  it('a command no language has a string of its own for is untranslated (a shared *.<option> string does not count)', () => {
    expect(commandCoverage(definitions, { de: poll, fr: poll })).toEqual({ problems: { de: [], fr: [] }, untranslated: ['ping name', 'ping description'] });
  });

  it('a command one language has any string for is needed whole in every language', () => {
    const dePing = { ...poll, ping: { name: 'ping', description: 'Läuft es?' } };
    expect(commandCoverage(definitions, { de: dePing, fr: poll }).problems).toEqual({ de: [], fr: ['ping name', 'ping description'] });
    const half = { ...poll, ping: { name: 'ping' } };
    expect(commandCoverage(definitions, { de: half, fr: poll }).problems).toEqual({ de: ['ping description'], fr: ['ping name', 'ping description'] });
  });

  it('a translated command still needs every subcommand, option and fixed choice', () => {
    const { 'poll.start.kind': _kind, ...noKind } = poll;
    expect(commandCoverage(definitions, { de: poll, fr: noKind }).problems.fr).toEqual(['poll.start.kind name', 'poll.start.kind description', 'poll.start.kind choice yesno']);
    const noChoice = { ...poll, 'poll.start.kind': { name: 'art', description: 'Welche' } };
    expect(commandCoverage(definitions, { de: poll, fr: noChoice }).problems.fr).toEqual(['poll.start.kind choice yesno']);
    expect(commandCoverage(definitions, { de: poll, fr: noChoice }, (value) => value === 'yesno').problems.fr).toEqual([]);
  });

  it('strings for commands or options that no longer exist are stale', () => {
    expect(commandCoverage(definitions, { de: { ...poll, 'poll.stop': { name: 'x', description: 'y' }, '*.gone': { name: 'z' } } }).problems.de).toEqual(['stale poll.stop', 'stale *.gone']);
  });
});
