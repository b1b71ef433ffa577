import type { ModalSubmitInteraction } from 'discord.js';
import type { Clock } from '../clock.js';
import { MINUTE } from '../constants.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import type { PollInput } from '../polls/validate.js';
import { DRAFT_MINUTES, FIELD, type PollDraft, SETTING } from './messages/poll-modal.js';

/** How long a refused /poll new form is kept for "Edit my poll". */
export const DRAFT_MS = DRAFT_MINUTES * MINUTE;
/** Drafts kept at most (the oldest go first): memory stays bounded whatever members do. */
const DRAFTS_MAX = 1000;

/**
 * Refused forms, per server and member, in this process's memory only: Discord closes a modal on
 * submit, so without them a member whose third answer was too long would type everything again.
 * A restart forgets them; the button then says so.
 */
export class PollDrafts {
  private readonly drafts = new Map<string, { draft: PollDraft; until: number }>();

  constructor(private readonly clock: Clock) {}

  keep(guildId: string, userId: string, draft: PollDraft): void {
    const key = `${guildId}:${userId}`;
    this.drafts.delete(key);
    this.drafts.set(key, { draft, until: this.clock.now() + DRAFT_MS });
    for (const oldest of this.drafts.keys()) {
      if (this.drafts.size <= DRAFTS_MAX) break;
      this.drafts.delete(oldest);
    }
  }

  get(guildId: string, userId: string): PollDraft | undefined {
    const key = `${guildId}:${userId}`;
    const kept = this.drafts.get(key);
    if (kept && kept.until <= this.clock.now()) this.drafts.delete(key);
    return kept && kept.until > this.clock.now() ? kept.draft : undefined;
  }

  drop(guildId: string, userId: string): void {
    this.drafts.delete(`${guildId}:${userId}`);
  }
}

const byContext = new WeakMap<Context, PollDrafts>();

/** The drafts of one running bot (one Context), created on first use. */
export function draftsOf(ctx: Context): PollDrafts {
  let drafts = byContext.get(ctx);
  if (!drafts) {
    drafts = new PollDrafts(ctx.clock);
    byContext.set(ctx, drafts);
  }
  return drafts;
}

/** The submitted form as typed. A form missing a field (an old or tampered one) is refused as out of date. */
export function readPollForm(interaction: ModalSubmitInteraction): PollDraft {
  try {
    const { fields } = interaction;
    const settings = fields.getCheckboxGroup(FIELD.settings);
    const picks = Number(fields.getStringSelectValues(FIELD.maxChoices)[0] ?? '1');
    return {
      question: fields.getTextInputValue(FIELD.question),
      answers: fields.getTextInputValue(FIELD.answers),
      duration: fields.getTextInputValue(FIELD.duration),
      maxChoices: Number.isInteger(picks) ? picks : 1,
      hideResults: settings.includes(SETTING.hide),
      allowChange: settings.includes(SETTING.change),
    };
  } catch {
    throw UserError.of('pollForm.outOfDate');
  }
}

/** The form as /poll start's input, so both are validated by the same rules. */
export function pollInputOf(draft: PollDraft): PollInput {
  return {
    question: draft.question,
    answers: draft.answers,
    duration: draft.duration.trim() === '' ? null : draft.duration,
    hideResults: draft.hideResults,
    allowChange: draft.allowChange,
    maxChoices: draft.maxChoices,
    voterRoleId: null,
  };
}
