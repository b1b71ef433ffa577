import { clip } from '../card.js';
import { UserError } from '../errors.js';
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
}

/** The ephemeral reply to the member. */
export interface PollAck {
  content: string;
}

export type ClickOutcome =
  | { ok: true; kind: VoteKind | 'retracted' | 'none' }
  | { ok: false; message: string; error?: unknown };

// The store failed (or could not be read): nothing changed, and the member must know it.
const FAILED = "Your vote was not recorded: I couldn't save it just now. Please try again in a moment.";
const FAILED_RETRACT = "Your vote was not retracted: I couldn't save that just now. Please try again in a moment.";

function label(poll: Poll, ballot: Ballot | null): string {
  const names = ballot === null ? [] : answersOf(ballot).flatMap((i) => (poll.answers[i] ? [`**${clip(inert(poll.answers[i].label), 60)}**`] : []));
  return names.length > 0 ? names.join(', ') : 'that answer';
}

function hint(poll: Poll): string {
  if (!poll.allowChange) return 'Votes in this poll are final.';
  return maxChoicesOf(poll) > 1
    ? 'Pick again in the menu to change your choices, or **Retract my vote** to take them back, until the poll closes.'
    : 'Click another answer to change it, or **Retract my vote** to take it back, until the poll closes.';
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
  const { action, args } = click;
  try {
    const pollId = args[0];
    if (pollId === undefined) throw new UserError('That button is no longer active.');
    const answers = picked(click);
    if (answers) {
      const result = await service.vote(click.guildId, pollId, click.userId, answers, click.memberRoleIds);
      const chosen = label(result.poll, result.ballot);
      const said =
        result.kind === 'recorded'
          ? `Your vote for ${chosen} is in.`
          : result.kind === 'changed'
            ? `You changed your vote from ${label(result.poll, result.previous)} to ${chosen}.`
            : `You already voted for ${chosen}; nothing changed.`;
      content = `${said} ${hint(result.poll)}`;
      outcome = { ok: true, kind: result.kind };
    } else if (action === 'retract' && args.length === 1) {
      const result = await service.retract(click.guildId, pollId, click.userId);
      content = result.kind === 'retracted' ? `Your vote for ${label(result.poll, result.previous)} was retracted.` : "You haven't voted in this poll.";
      outcome = { ok: true, kind: result.kind };
    } else throw new UserError('That button is no longer active.');
  } catch (error) {
    content = error instanceof UserError ? error.message : action === 'retract' ? FAILED_RETRACT : FAILED;
    outcome = error instanceof UserError ? { ok: false, message: content } : { ok: false, message: content, error };
  }
  await ack({ content });
  return outcome;
}
