import { clip } from '../card.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../constants.js';
import { inert } from '../text/inert.js';
import type { PollRepository } from './repository.js';
import type { Poll } from './types.js';

/**
 * Whether the member (or audience) a listing is for can view a channel. The edge decides it from
 * Discord's permissions; the domain only filters by it, so a poll's existence never leaks.
 */
export type ChannelFilter = (channelId: string) => boolean;
export const EVERY_CHANNEL: ChannelFilter = () => true;

export interface PollChoice {
  id: string;
  name: string;
}

export interface SearchOptions {
  /** Also offer closed polls: the newest RECENT_CLOSED of them, so the history is never parsed whole. */
  includeClosed?: boolean;
  visible?: ChannelFilter;
}

export async function openPolls(repo: PollRepository, guildId: string, visible: ChannelFilter = EVERY_CHANNEL): Promise<Poll[]> {
  return (await repo.openByGuild(guildId)).filter((p) => visible(p.channelId));
}

/** Autocomplete choices: matches on id prefix or question text, newest first, at most MAX_CHOICES. */
export async function searchPolls(repo: PollRepository, guildId: string, typed: string, options: SearchOptions = {}): Promise<PollChoice[]> {
  const needle = typed.trim().toLowerCase();
  const visible = options.visible ?? EVERY_CHANNEL;
  const open = await openPolls(repo, guildId, visible);
  const closed = options.includeClosed ? (await repo.recentClosed(guildId)).filter((p) => visible(p.channelId)) : [];
  return [...open, ...closed]
    .filter((p) => needle === '' || p.id.startsWith(needle) || p.question.toLowerCase().includes(needle))
    .slice(0, MAX_CHOICES)
    .map((p) => ({ id: p.id, name: clip(`${p.status === 'closed' ? '[closed] ' : ''}${inert(p.question, 'plain')}`, MAX_CHOICE_LENGTH) }));
}
