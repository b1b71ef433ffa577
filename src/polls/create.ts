import { randomBytes } from 'node:crypto';
import { MAX_CHOICES } from '../constants.js';
import { UserError } from '../errors.js';
import { LivePoll } from './live.js';
import { STARTS_PER_MINUTE, type PollRuntime } from './runtime.js';
import type { Poll, PollFields, PollOrigin } from './types.js';

/** As many as one autocomplete list shows, so /poll end and /poll results can offer every open poll. */
export const MAX_OPEN_PER_GUILD = MAX_CHOICES;

/** Stores a new open poll after the per-member and per-server limits, and makes it live here. */
export async function startPoll(rt: PollRuntime, fields: PollFields, origin: PollOrigin, headline: boolean): Promise<Poll> {
  // Per guild, so two simultaneous /poll start cannot both pass the limit check.
  return rt.guildQueue.run(origin.guildId, async () => {
    const now = rt.clock.now();
    const starter = `${origin.guildId}:${origin.creatorId}`;
    const again = rt.starts.nextAllowed(starter, now);
    if (again !== null) throw UserError.of('poll.startRateLimit', { count: STARTS_PER_MINUTE, at: Math.ceil(again / 1000) });
    const open = (await rt.repo.openByGuild(origin.guildId)).filter((p) => p.closesAt > now);
    if (open.length >= MAX_OPEN_PER_GUILD) throw UserError.of('poll.tooManyOpen', { max: MAX_OPEN_PER_GUILD });
    const poll: Poll = {
      id: await newPollId(rt),
      ...origin,
      messageId: null,
      question: fields.question,
      note: fields.note ?? null,
      answers: fields.answers,
      headline,
      createdAt: now,
      closesAt: now + fields.durationMs,
      hideResults: fields.hideResults,
      allowChange: fields.allowChange,
      maxChoices: fields.maxChoices,
      voterRoleId: fields.voterRoleId,
      status: 'open',
      closedAt: null,
      closedBy: null,
      resultsPosted: false,
    };
    await rt.repo.claimId(poll.id, poll.guildId);
    await rt.repo.save(poll);
    rt.starts.record(starter, now);
    rt.polls.add(new LivePoll(poll, new Map()));
    rt.logger.info({ pollId: poll.id, guildId: poll.guildId }, 'poll created');
    return poll;
  });
}

/** Records the id of the message that shows the poll, once the reply that posted it is known. */
export async function attachMessage(rt: PollRuntime, poll: Poll, messageId: string): Promise<Poll> {
  const { poll: attached } = await rt.polls.transition(poll.guildId, poll.id, (current) => ({ ...current, messageId }));
  // A member can vote before the message id is known (it arrives with the reply); the edit that
  // vote asked for had no message to change, so render the standings now.
  if ((rt.polls.live(poll.id)?.voters.size ?? 0) > 0) rt.edits.signal(poll.id);
  return attached;
}

async function newPollId(rt: PollRuntime): Promise<string> {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!rt.polls.live(id) && (await rt.repo.guildOf(id)) === undefined) return id;
  }
}
