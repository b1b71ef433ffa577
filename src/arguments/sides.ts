import type { StoryPack } from '../story/types.js';
import type { Side } from './types.js';

/** The sides of /argue: each stance of the verdict (headline poll answers), then each stakeholder. */
export function sidesOf(pack: StoryPack): Side[] {
  return [
    ...pack.headlinePoll.answers.map((a, i) => ({ id: `stance.${i}`, label: a.label })),
    ...pack.stakeholders.map((s) => ({ id: `stakeholder.${s.id}`, label: s.name })),
  ];
}
