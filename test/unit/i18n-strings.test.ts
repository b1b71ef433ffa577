import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en.json' with { type: 'json' };
import { isBotKey, t, tc } from '../../src/i18n/index.js';
import { TRANSLATED_LOCALES, TRANSLATIONS } from '../../src/i18n/locales.js';
import { UserError } from '../../src/errors.js';
import { botStringCoverage } from '../helpers/translation-coverage.js';

const coverage = botStringCoverage(en.bot, Object.fromEntries(TRANSLATED_LOCALES.map((locale) => [locale, TRANSLATIONS[locale].bot as Record<string, string>])));

describe('what the bot writes, in every language', () => {
  it.each(TRANSLATED_LOCALES)('%s has every string of en.json that any language has, with the same {{placeholders}}, and none that en.json lacks', (locale) => {
    expect(coverage.problems[locale]).toEqual([]);
  });

  it('a string of en.json that no language has yet is listed, and reads in English in every language', () => {
    if (coverage.untranslated.length > 0) console.info(`untranslated, falls back to English: ${coverage.untranslated.join(', ')}`);
    for (const key of coverage.untranslated.filter(isBotKey)) {
      for (const locale of TRANSLATED_LOCALES) expect(t(locale, key, { count: 2 }), `${locale} ${key}`).toBe(t('en', key, { count: 2 }));
    }
  });

  it('answers in the reader\'s language, borrowing a sister locale, else in English', () => {
    expect(t('de', 'discord.unknownChannel')).toBe('Diesen Kanal gibt es nicht mehr.');
    expect(t('es-419', 'discord.unknownChannel')).toBe(t('es-ES', 'discord.unknownChannel'));
    expect(t('ko', 'discord.unknownChannel')).toBe('That channel no longer exists.');
    expect(t(undefined, 'router.apology', { incident: 'c0ffee00' })).toContain('`c0ffee00`');
  });

  it('a UserError from the language files logs English and answers in the member\'s language', () => {
    const error = UserError.of('router.unknownCommand', { command: 'poll' });
    expect(error.message).toBe(t('en', 'router.unknownCommand', { command: 'poll' }));
    expect(error.textIn('ja')).toContain('/poll');
    expect(error.textIn('ja')).not.toBe(error.message);
    expect(new UserError('as written').textIn('de')).toBe('as written');
  });
});

describe('member text inside a translated string', () => {
  it('is inserted as it is: never read as a nested key or a placeholder', () => {
    const text = t('de', 'poll.answerTooLong', { number: 1, answer: '$t(poll.closed) {{max}}', length: 70, max: 55 });
    expect(text).toBe('Antwort 1 („$t(poll.closed) {{max}}“) ist 70 Zeichen lang; erlaubt sind 55.');
  });

  it('nests the shared examples in the duration refusals, in each language', () => {
    expect(t('en', 'poll.durationUnreadable', { input: 'soon' })).toBe('I couldn\'t read "soon" as a duration. Use minutes, hours or days, e.g. `90m`, `12h`, `7d` or `1d12h`.');
    expect(t('fr', 'poll.durationEmpty')).toContain('Utilise des minutes');
  });
});

describe('strings already written are written again from memory', () => {
  it('gives each locale, key, count and set of values its own text, however often asked', () => {
    for (let round = 0; round < 3; round++) {
      expect(t('en-US', 'poll.voteRecorded', { answers: '**A**' })).toBe('Your vote for **A** is in.');
      expect(t('en-US', 'poll.voteRecorded', { answers: '**B**' })).toBe('Your vote for **B** is in.');
      expect(t('de', 'poll.voteRecorded', { answers: '**A**' })).not.toBe(t('en-US', 'poll.voteRecorded', { answers: '**A**' }));
      expect(t('en-US', 'poll.voteChanged', { previous: 'X', answers: 'Y' })).toBe('You changed your vote from X to Y.');
      expect(t('en-US', 'poll.voteChanged', { previous: 'X', answers: 'Y' }).length).toBeGreaterThan(0);
      expect(t('en-US', 'poll.voteChanged', { previous: 'X", "answers": "Y', answers: 'Z' })).toBe('You changed your vote from X", "answers": "Y to Z.');
      expect(tc('en-US', 'poll.voteCount', 1)).not.toBe(tc('en-US', 'poll.voteCount', 2));
      expect(tc('en-US', 'poll.voteCount', 2)).toBe('2 votes');
    }
  });

  it('stays correct past its bound (the oldest strings are written anew)', () => {
    for (let i = 0; i < 2_500; i++) expect(t('en-US', 'poll.voteRecorded', { answers: `#${i}` })).toBe(`Your vote for #${i} is in.`);
    expect(t('en-US', 'poll.voteRecorded', { answers: '#0' })).toBe('Your vote for #0 is in.');
  });
});
