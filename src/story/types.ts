import type { z } from 'zod';
import type { ClaimSchema, ClaimsFileSchema, DevelopmentSchema, HeadlinePollSchema, LintExemptionSchema, SectionSchema, StakeholderSchema, StorySchema, TakeSchema } from './schema.js';
import { DEVELOPMENT_STATUSES, LINT_CHECKS } from './schema.js';
import type { PackTranslations } from './translations.js';

/** The story pack's types, inferred from its one schema in ./schema.ts (see data/README.md for the fields). */

export type Section = z.infer<typeof SectionSchema>;
export type Story = z.infer<typeof StorySchema>;
export type Take = z.infer<typeof TakeSchema>;
export type Stakeholder = z.infer<typeof StakeholderSchema>;
export type HeadlinePoll = z.infer<typeof HeadlinePollSchema>;
export type Claim = z.infer<typeof ClaimSchema>;
/** A sentence the author vouches for: it is about a claim rather than asserting it. Never silent: validate-data lists it. */
export type LintExemption = z.infer<typeof LintExemptionSchema>;
export type ClaimsFile = z.infer<typeof ClaimsFileSchema>;

export { DEVELOPMENT_STATUSES, LINT_CHECKS };
/** A dated, sourced update on the story (data/developments.json, or a server's own). */
export type Development = z.infer<typeof DevelopmentSchema>;
export type DevelopmentStatus = (typeof DEVELOPMENT_STATUSES)[number];
export type LintCheck = (typeof LINT_CHECKS)[number];

export interface StoryPack {
  story: Story;
  stakeholders: Stakeholder[];
  headlinePoll: HeadlinePoll;
  /** Our summaries and takes in other languages (data/translations/<locale>.json); absent: English only. */
  translations?: PackTranslations;
  /** data/developments.json (optional; none when absent), newest first. */
  developments: Development[];
  /** Short content hash: buttons carry it so a click on a message from another pack version is recognised. */
  version: string;
}
