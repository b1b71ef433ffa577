import { describe, expect, it } from 'vitest';
import { newPollModal } from '../../src/discord/messages/poll-modal.js';
import { TRANSLATED_LOCALES, TRANSLATIONS } from '../../src/i18n/locales.js';
import { ApiError, type Json } from '../loopback/util.js';
import { validateModal } from '../loopback/validate.js';

/** The JSON path of each field error the loopback answered, or [] when it accepted the modal. */
function refusedAt(data: Json): string[] {
  try {
    validateModal(data);
    return [];
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 50035) throw error;
    const paths: string[] = [];
    const walk = (node: unknown, at: string[]): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, child] of Object.entries(node)) {
        if (key === '_errors') paths.push(at.join('.'));
        else walk(child, [...at, key]);
      }
    };
    walk(error.errors, []);
    return paths;
  }
}

const form = (): Json => JSON.parse(JSON.stringify(newPollModal().toJSON())) as Json;
type Label = { label: string; component: Record<string, unknown> };
const labels = (data: Json) => data.components as Label[];

describe('the loopback checks modals as Discord does', () => {
  it('accepts the /poll new form, empty or filled in', () => {
    expect(refusedAt(form())).toEqual([]);
    const filled = newPollModal({ question: 'q'.repeat(300), answers: 'a\n'.repeat(400), duration: '7d', maxChoices: 10, hideResults: true, allowChange: false });
    expect(refusedAt(JSON.parse(JSON.stringify(filled.toJSON())) as Json)).toEqual([]);
  });

  it.each(TRANSLATED_LOCALES)('accepts the /poll new form written in %s, every label translated', (locale) => {
    const data = JSON.parse(JSON.stringify(newPollModal(undefined, locale).toJSON())) as Json;
    expect(refusedAt(data)).toEqual([]);
    const file = TRANSLATIONS[locale].bot;
    expect(data.title).toBe(file['pollForm.title']);
    expect(labels(data).map((l) => l.label)).toEqual([file['pollForm.question'], file['pollForm.answers'], file['pollForm.duration'], file['pollForm.picks'], file['pollForm.settings']]);
  });

  it.each<[string, (data: Json) => void, string]>([
    ['a title over 45 characters', (d) => (d.title = 'x'.repeat(46)), 'data.title'],
    ['a custom_id over 100 characters', (d) => (d.custom_id = 'x'.repeat(101)), 'data.custom_id'],
    ['six components', (d) => labels(d).push(labels(d)[0]!), 'data.components'],
    ['no component', (d) => (d.components = []), 'data.components'],
    ['a label over 45 characters', (d) => (labels(d)[0]!.label = 'x'.repeat(46)), 'data.components.0.label'],
    ['a text input longer than 4000', (d) => (labels(d)[1]!.component.max_length = 4001), 'data.components.1.component.max_length'],
    ['a prefilled value over its max_length', (d) => (labels(d)[2]!.component.value = 'x'.repeat(21)), 'data.components.2.component.value'],
    ['a placeholder over 100 characters', (d) => (labels(d)[0]!.component.placeholder = 'x'.repeat(101)), 'data.components.0.component.placeholder'],
    ['the same custom_id twice', (d) => (labels(d)[1]!.component.custom_id = 'question'), 'data.components.1.component.custom_id'],
    ['a checkbox group of 11 options', (d) => (labels(d)[4]!.component.options = Array.from({ length: 11 }, (_, i) => ({ label: `o${i}`, value: `o${i}` }))), 'data.components.4.component.options'],
    ['a select offering more picks than options', (d) => (labels(d)[3]!.component.max_values = 11), 'data.components.3.component.max_values'],
    ['a select in an action row', (d) => (d.components = [{ type: 1, components: [labels(d)[3]!.component] }]), 'data.components.0.components.0.type'],
    ['a button in a label', (d) => (labels(d)[0]!.component = { type: 2, style: 1, label: 'x', custom_id: 'b' }), 'data.components.0.component.type'],
  ])('refuses %s', (_, change, path) => {
    const data = form();
    change(data);
    expect(refusedAt(data)).toContain(path);
  });
});
