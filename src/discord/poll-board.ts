import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type Client, type MessageEditOptions } from 'discord.js';
import type { Clock } from '../clock.js';
import { discordErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { buttonsFor, renderPoll, renderResults } from '../polls/render.js';
import type { Poll, Tally } from '../polls/types.js';
import { toEmbed } from './embeds.js';

/** Discord errors after which retrying an edit or a post can never succeed. */
const PERMANENT = new Set([10003, 10008, 50001, 50013]);

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

  return {
    async onChange(poll: Poll, tally: Tally): Promise<void> {
      await attempt(poll, 'update the poll message', () => edit(poll, pollMessage(poll, tally, clock.now(), false)));
    },
    async onClose(poll: Poll, tally: Tally): Promise<void> {
      await attempt(poll, 'show the final results', () => edit(poll, pollMessage(poll, tally, clock.now(), true)));
      await attempt(poll, 'post the results', async () => {
        const channel = await client.channels.fetch(poll.channelId);
        if (!channel?.isSendable()) return;
        await channel.send({
          content: renderResults(poll, tally),
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
