import { randomBytes } from 'node:crypto';
import { type Interaction, PermissionsBitField, type RepliableInteraction } from 'discord.js';
import type { Context } from '../context.js';
import { friendlyDiscordError, UserError } from '../errors.js';
import type { Command } from './command.js';
import { decodeCustomId } from './custom-id.js';
import { permissionName } from './permissions.js';
import { replyPrivately } from './reply.js';

const STALE = 'This control is no longer active. Run the command again to get a fresh one.';
const AUTOCOMPLETE_MAX = 25;

/**
 * Routes every interaction to its command module and is the one place errors are answered:
 * UserError → its message; known Discord errors → plain words; anything else → an apology with an
 * incident id that also appears in the log. All of them ephemeral; the process keeps running.
 */
export function createRouter(commands: readonly Command[], ctx: Context): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.name, c]));
  const required = new Map(
    commands.map((c) => [c.name, c.definition(ctx.pack).default_member_permissions ?? null] as const),
  );

  return async (interaction) => {
    const log = ctx.logger.child({
      interactionId: interaction.id,
      guildId: interaction.guildId,
      userId: interaction.user.id,
      command: 'commandName' in interaction ? interaction.commandName : undefined,
      customId: 'customId' in interaction ? interaction.customId : undefined,
    });
    const started = ctx.clock.now();

    if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      try {
        const choices = (await command?.autocomplete?.(interaction, ctx)) ?? [];
        await interaction.respond(choices.slice(0, AUTOCOMPLETE_MAX));
      } catch (error) {
        log.warn({ err: error }, 'autocomplete failed; answering with no choices');
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }
    if (!interaction.isRepliable()) return;

    try {
      if (!interaction.inGuild()) throw new UserError('tamasha works in servers only. Use its commands in a server channel.');
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          log.warn('unknown command');
          throw new UserError(`I don't know the command /${interaction.commandName} any more. The server's command list may be out of date; it updates within an hour.`);
        }
        checkPermissions(interaction, required.get(command.name) ?? null);
        await command.execute(interaction, ctx);
      } else if (interaction.isMessageComponent()) {
        const id = decodeCustomId(interaction.customId);
        const handler = id ? byName.get(id.scope)?.components?.[id.action] : undefined;
        if (!id || !handler) {
          log.warn('unknown or stale custom_id');
          throw new UserError(STALE);
        }
        await handler(interaction, id.args, ctx);
      } else {
        log.warn({ type: interaction.type }, 'unsupported interaction type');
        throw new UserError(STALE);
      }
      log.debug({ ms: ctx.clock.now() - started }, 'handled');
    } catch (error) {
      await answerError(interaction, error, log);
    }
  };
}

function checkPermissions(interaction: RepliableInteraction, required: string | null): void {
  if (required === null) return;
  const needed = new PermissionsBitField(BigInt(required));
  const missing = interaction.memberPermissions?.missing(needed) ?? needed.toArray();
  if (missing.length > 0) {
    throw new UserError(`You need the ${missing.map(spaced).join(', ')} permission to use this command.`);
  }
}

/** "ManageGuild" → "Manage Guild": how the permission reads in Discord's settings. */
function spaced(name: string): string {
  return name === 'ManageGuild' ? 'Manage Server' : name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

async function answerError(interaction: RepliableInteraction, error: unknown, log: Context['logger']): Promise<void> {
  let message: string;
  if (error instanceof UserError) {
    message = error.message;
    log.info({ reason: error.message }, 'told the user why not');
  } else {
    const friendly = friendlyDiscordError(error);
    const incident = randomBytes(4).toString('hex');
    message = friendly ?? `Sorry, something went wrong on my side. If it keeps happening, tell the server admins: error id \`${incident}\`.`;
    log.error({ err: error, incident }, 'handler failed');
  }
  try {
    await replyPrivately(interaction, message);
  } catch (replyError) {
    log.warn({ err: replyError }, 'could not tell the user about the error');
  }
}
