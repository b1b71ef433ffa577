import { clip } from '../card.js';
import { UserError } from '../errors.js';
import { inert } from '../text/inert.js';
import type { PollService, VoteKind } from './service.js';
import type { Poll } from './types.js';

/** A click on one of a poll's buttons, as plain data taken from the interaction and its decoded custom_id. */
export interface PollClick {
  /** The custom_id's action and arguments: `vote` with a poll id and an answer index, or `retract` with a poll id. */
  action: string;
  args: readonly string[];
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

function label(poll: Poll, answer: number | null): string {
  const a = answer === null ? undefined : poll.answers[answer];
  return a ? `**${clip(inert(a.label), 60)}**` : 'that answer';
}

function hint(poll: Poll): string {
  return poll.allowChange ? 'Click another answer to change it, or **Retract my vote** to take it back, until the poll closes.' : 'Votes in this poll are final.';
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
    if (action === 'vote' && args.length === 2 && /^\d{1,2}$/.test(args[1] ?? '')) {
      const result = await service.vote(click.guildId, pollId, click.userId, Number(args[1]), click.memberRoleIds);
      const chosen = label(result.poll, Number(args[1]));
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
