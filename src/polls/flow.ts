import { clip } from '../card.js';
import { incidentId, UserError } from '../errors.js';
import { t } from '../i18n/index.js';
import { inert } from '../text/inert.js';
import { answersOf, maxChoicesOf } from './ballot.js';
import type { PollService, VoteKind } from './service.js';
import type { Ballot, Poll } from './types.js';

/** A click on one of a poll's buttons, as plain data taken from the interaction and its decoded custom_id. */
export interface PollClick {
  /**
   * The custom_id's action and arguments: `vote` with a poll id and an answer index, `choose` with
   * a poll id (the answers picked are `values`), or `retract` with a poll id.
   */
  action: string;
  args: readonly string[];
  /** The values picked in a select menu (answer indexes), for `choose`. */
  values?: readonly string[];
  guildId: string;
  userId: string;
  /** The clicking member's role ids (for polls limited to a role). */
  memberRoleIds: string[];
  /** The member's Discord language (`interaction.locale`): the reply is written in it. */
  locale?: string;
}

/** The ephemeral reply to the member. */
export interface PollAck {
  content: string;
}

export type ClickOutcome =
  | { ok: true; kind: VoteKind | 'retracted' | 'none' }
  /** `error`: the store failed; the member's answer quotes `incident`, which the edge logs with it. */
  | { ok: false; message: string; error?: unknown; incident?: string };

function label(poll: Poll, ballot: Ballot | null, locale: string | undefined): string {
  const names = ballot === null ? [] : answersOf(ballot).flatMap((i) => (poll.answers[i] ? [`**${inert(clip(poll.answers[i].label, 60))}**`] : []));
  return names.length > 0 ? names.join(', ') : t(locale, 'poll.thatAnswer');
}

function hint(poll: Poll, locale: string | undefined): string {
  if (!poll.allowChange) return t(locale, 'poll.hintFinal');
  return t(locale, maxChoicesOf(poll) > 1 ? 'poll.hintMenu' : 'poll.hintButtons', { retract: t(undefined, 'poll.retractButton') });
}

const ANSWER_INDEX = /^\d{1,2}$/;

/** The answers a click picks: one from a button's custom_id, several from a select menu's values. */
function picked(click: PollClick): number[] | null {
  const { action, args, values = [] } = click;
  if (action === 'vote' && args.length === 2 && ANSWER_INDEX.test(args[1] ?? '')) return [Number(args[1])];
  if (action === 'choose' && args.length === 1 && values.length > 0 && values.every((v) => ANSWER_INDEX.test(v))) return values.map(Number);
  return null;
}

/**
 * Interaction in → stored vote → acknowledgement out, with no discord.js: the button handler
 * passes the click and an `ack` that replies ephemerally. `ack` runs only after the vote is
 * stored (or was refused), so a member is never told about a vote the store does not hold.
 * Failures other than UserError are returned (not thrown) for the edge to log: the member has
 * already been answered.
 */
export async function castVote(service: PollService, click: PollClick, ack: (reply: PollAck) => Promise<void> | void): Promise<ClickOutcome> {
  let outcome: ClickOutcome;
  let content: string;
  const { action, args, locale } = click;
  try {
    const pollId = args[0];
    if (pollId === undefined) throw UserError.of('poll.buttonInactive');
    const picks = picked(click);
    if (picks) {
      const result = await service.vote(click.guildId, pollId, click.userId, picks, click.memberRoleIds);
      const answers = label(result.poll, result.ballot, locale);
      const said =
        result.kind === 'recorded'
          ? t(locale, 'poll.voteRecorded', { answers })
          : result.kind === 'changed'
            ? t(locale, 'poll.voteChanged', { previous: label(result.poll, result.previous, locale), answers })
            : t(locale, 'poll.voteSame', { answers });
      content = `${said} ${hint(result.poll, locale)}`;
      outcome = { ok: true, kind: result.kind };
    } else if (action === 'retract' && args.length === 1) {
      const result = await service.retract(click.guildId, pollId, click.userId);
      content = result.kind === 'retracted' ? t(locale, 'poll.voteRetracted', { answers: label(result.poll, result.previous, locale) }) : t(locale, 'poll.notVoted');
      outcome = { ok: true, kind: result.kind };
    } else throw UserError.of('poll.buttonInactive');
  } catch (error) {
    if (error instanceof UserError) {
      content = error.textIn(locale);
      outcome = { ok: false, message: content };
    } else {
      // The store failed (or could not be read): nothing changed, and the member must know it, with
      // an error id the edge logs beside the failure.
      const incident = incidentId();
      content = t(locale, action === 'retract' ? 'poll.retractFailed' : 'poll.voteFailed', { incident });
      outcome = { ok: false, message: content, error, incident };
    }
  }
  await ack({ content });
  return outcome;
}
