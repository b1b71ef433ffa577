import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type Client, type MessageEditOptions } from 'discord.js';
import { clip } from '../card.js';
import type { Clock } from '../clock.js';
import { discordErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { buttonsFor, renderPoll, renderResults } from '../polls/render.js';
import type { Poll, Tally } from '../polls/types.js';
import { toEmbed } from './embeds.js';

/** Discord errors after which retrying an edit or a post can never succeed. */
const PERMANENT = new Set([10003, 10008, 50001, 50013]);
/** How many of a channel's latest messages are searched for results an interrupted attempt posted. */
const RECENT = 50;

/** The last line of a results post: how a restarted bot recognises results it already posted. */
export const resultsMarker = (pollId: string): string => `-# Poll ${pollId}`;

function markedResults(poll: Poll, tally: Tally): string {
  const mark = `\n${resultsMarker(poll.id)}`;
  return `${clip(renderResults(poll, tally), 2000 - mark.length)}${mark}`;
}

export function pollMessage(poll: Poll, tally: Tally, now: number, closed: boolean): { embeds: ReturnType<typeof toEmbed>[]; components: ActionRowBuilder<ButtonBuilder>[] } {
  const rows = buttonsFor(poll, closed).map((row) =>
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      row.map((b) => {
        const button = new ButtonBuilder().setCustomId(b.customId).setLabel(b.label).setStyle(b.customId.includes(':retract:') ? ButtonStyle.Secondary : ButtonStyle.Primary).setDisabled(b.disabled);
        if (b.emoji) button.setEmoji(b.emoji);
        return button;
      }),
    ),
  );
  return { embeds: [toEmbed(renderPoll(poll, tally, now))], components: rows };
}

/**
 * The poll service's window on Discord: re-renders a poll's message when its standings change and,
 * when it closes, shows the final results and posts them in the channel as a reply to the poll.
 */
export function createPollBoard(client: Client, clock: Clock, logger: Logger) {
  async function edit(poll: Poll, options: MessageEditOptions): Promise<void> {
    if (!poll.messageId) return;
    const channel = await client.channels.fetch(poll.channelId);
    if (!channel?.isTextBased()) return;
    await channel.messages.edit(poll.messageId, options);
  }

  /** Logs and swallows the failures no retry can fix (deleted message or channel, lost access). */
  async function attempt(poll: Poll, what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const code = discordErrorCode(error);
      if (code === undefined || !PERMANENT.has(code)) throw error;
      logger.warn({ pollId: poll.id, guildId: poll.guildId, channelId: poll.channelId, code }, `could not ${what}; giving up`);
    }
  }

  /** Whether the channel's recent messages hold this bot's results post for the poll. */
  async function alreadyPosted(poll: Poll): Promise<boolean> {
    const channel = await client.channels.fetch(poll.channelId);
    if (!channel?.isTextBased() || !('messages' in channel)) return false;
    try {
      const recent = await channel.messages.fetch({ limit: RECENT, cache: false });
      const mark = resultsMarker(poll.id);
      return recent.some((m) => m.author.id === client.user?.id && m.content.endsWith(mark));
    } catch (error) {
      // Without Read Message History the bot can't look; it posts, with the nonce as the last guard.
      const code = discordErrorCode(error);
      if (code !== undefined && PERMANENT.has(code)) return false;
      throw error;
    }
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
        await channel.send({
          content: markedResults(poll, tally),
          // The nonce makes a re-post after a crash come back as the first post instead of a second one.
          nonce: `pr-${poll.id}`,
          enforceNonce: true,
          allowedMentions: { parse: [] },
          ...(poll.messageId ? { reply: { messageReference: poll.messageId, failIfNotExists: false } } : {}),
        });
      });
    },
  };
}
