import type { Client, MessageEditOptions } from 'discord.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Poll, Tally } from '../polls/types.js';
import { editPosted } from './edit.js';
import { discordErrorCode, isPermanentDiscordError } from './errors.js';
import { postedSince } from './history.js';
import { pollMessage, resultsPost, resultsPostMatcher } from './messages/poll.js';

/**
 * The poll service's window on Discord: re-renders a poll's message when its standings change and,
 * when it closes, shows the final results and posts them in the channel as a reply to the poll.
 */
export function createPollBoard(client: Client, clock: Clock, logger: Logger) {
  async function edit(poll: Poll, options: MessageEditOptions): Promise<void> {
    if (!poll.messageId) return;
    // A poll posted before Components V2 has an embed: the edit that lays it out anew clears it.
    await editPosted(client, poll.channelId, poll.messageId, { content: null, embeds: [], ...options });
  }

  /** Logs and swallows the failures no retry can fix (deleted message or channel, lost access). */
  async function attempt(poll: Poll, what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!isPermanentDiscordError(error)) throw error;
      logger.warn({ pollId: poll.id, guildId: poll.guildId, channelId: poll.channelId, code: discordErrorCode(error) }, `could not ${what}; giving up`);
    }
  }

  /** Whether the channel holds this bot's results post for the poll, posted since the poll closed. */
  async function alreadyPosted(poll: Poll): Promise<boolean> {
    return postedSince(client, await client.channels.fetch(poll.channelId), poll.closedAt ?? poll.createdAt, resultsPostMatcher(poll.id));
  }

  return {
    async onChange(poll: Poll, tally: Tally): Promise<void> {
      await attempt(poll, 'update the poll message', () => edit(poll, pollMessage(poll, tally, clock.now(), false)));
    },
    async onClose(poll: Poll, tally: Tally, { resumed }: { resumed: boolean } = { resumed: false }): Promise<void> {
      await attempt(poll, 'show the final results', () => edit(poll, pollMessage(poll, tally, clock.now(), true)));
      await attempt(poll, 'post the results', async () => {
        const channel = await client.channels.fetch(poll.channelId);
        if (!channel?.isSendable()) return;
        // An earlier attempt was interrupted: it may have posted. Discord's nonce dedupes only for minutes.
        if (resumed && (await alreadyPosted(poll))) {
          logger.info({ pollId: poll.id, guildId: poll.guildId, channelId: poll.channelId }, 'poll results were already posted by an interrupted attempt; not posting again');
          return;
        }
        await channel.send(resultsPost(poll, tally));
      });
    },
  };
}
