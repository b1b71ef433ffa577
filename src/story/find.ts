import { inert } from '../text/inert.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../constants.js';
import { UserError } from '../errors.js';
import type { Stakeholder, StoryPack } from './types.js';
import type { Choice } from '../choices.js';


/** Index of the section with this id; a value autocomplete never offered gets a clear answer. */
export function findSection(pack: StoryPack, id: string): number {
  const index = pack.story.sections.findIndex((s) => s.id === id);
  if (index === -1) throw UserError.of('story.noSection', { section: inert(id.slice(0, 40)) });
  return index;
}

export function findStakeholder(pack: StoryPack, id: string): Stakeholder {
  const holder = pack.stakeholders.find((h) => h.id === id);
  if (!holder) throw UserError.of('story.noStakeholder', { stakeholder: inert(id.slice(0, 40)) });
  return holder;
}

/** Sections whose number, id or title contains what the member typed, best matches first. */
export function matchSections(pack: StoryPack, typed: string): Choice[] {
  const query = typed.trim().toLowerCase();
  const all = pack.story.sections.map((s, i) => ({ name: `${i + 1}. ${s.title}`.slice(0, MAX_CHOICE_LENGTH), value: s.id, haystack: `${i + 1} ${s.id} ${s.title}`.toLowerCase() }));
  const hits = query === '' ? all : all.filter((c) => c.haystack.includes(query));
  const starts = hits.filter((c) => c.name.toLowerCase().includes(` ${query}`) || c.value.startsWith(query));
  const ordered = [...new Set([...starts, ...hits])];
  return ordered.slice(0, MAX_CHOICES).map(({ name, value }) => ({ name, value }));
}
