import { inert } from '../text/inert.js';
import type { Card } from '../card.js';
import { clip, COLORS } from '../card.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../constants.js';
import { UserError } from '../errors.js';
import type { Choice } from '../choices.js';
import { t } from '../i18n/index.js';
import { sectionSummaryIn, takeIn } from './translations.js';
import type { StoryPack } from './types.js';

/** A discussion topic: a section of the article or a stakeholder, as `section:<id>` / `take:<id>`. */
export interface Topic {
  value: string;
  title: string;
  summary: string;
  question: string;
}

/** Each topic; a section's question is written in `locale`, a stakeholder's as the pack has it. */
export function topics(pack: StoryPack, locale?: string): Topic[] {
  return [
    ...pack.story.sections.map((s, i) => ({
      value: `section:${s.id}`,
      title: `${i + 1}. ${s.title}`,
      summary: sectionSummaryIn(pack, s, locale),
      question: t(locale, 'discuss.sectionQuestion'),
    })),
    ...pack.stakeholders.map((h) => takeIn(pack, h, locale)).map((h) => ({ value: `take:${h.id}`, title: `${h.emoji} ${h.name}`, summary: h.position, question: h.question })),
  ];
}

export function matchTopics(pack: StoryPack, typed: string): Choice[] {
  const query = typed.trim().toLowerCase();
  return topics(pack)
    .filter((t) => `${t.title} ${t.value}`.toLowerCase().includes(query))
    .slice(0, MAX_CHOICES)
    .map((t) => ({ name: clip(t.title, MAX_CHOICE_LENGTH), value: t.value }));
}

export function findTopic(pack: StoryPack, value: string, locale?: string): Topic {
  const topic = topics(pack, locale).find((t) => t.value === value);
  if (!topic) throw UserError.of('story.noTopic', { topic: inert(value.slice(0, 40)) });
  return topic;
}

export function renderTopic(pack: StoryPack, topic: Topic, starter: string, locale?: string): Card {
  return {
    title: clip(t(locale, 'discuss.title', { title: topic.title }), 256),
    description: clip(`${topic.summary}\n\n**${t(locale, 'take.question')}:** ${topic.question}`, 4096),
    footer: clip(`${t(locale, 'discuss.startedBy', { starter })} · ${pack.story.disclaimer}`, 2048),
    color: COLORS.story,
  };
}
