import { randomBytes } from 'node:crypto';
import { type ChatInputCommandInteraction, type Interaction, PermissionsBitField, type RepliableInteraction } from 'discord.js';
import { MAX_CHOICES } from '../constants.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/index.js';
import { type Command, type CommandDefinition, type Invocation, RUN } from './command.js';
import { type CustomId, decodeCustomId } from './custom-id.js';
import { friendlyDiscordError } from './errors.js';
import { optionsOf, readOptions } from './options.js';
import { missingAppPermissions, permissionName } from './permissions.js';
import { replyPrivately, visibility, withVisibility } from './reply.js';

/**
 * Routes every interaction to its command module and owns the rules every command shares: servers
 * only, the member's and the bot's permissions, subcommand dispatch, who sees the reply. It is also
 * the one place errors are answered: UserError → its message; known Discord errors → plain words;
 * anything else → an apology with an incident id that also appears in the log. All of them
 * ephemeral; the process keeps running.
 */
export function createRouter(commands: readonly Command[], ctx: Context, onHandled: (handled: Handled) => void = () => undefined): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.name, { command: c, definition: c.definition(ctx.pack) }]));

  return async (interaction) => {
    // Made on first use (interactionLogger): most interactions log nothing, and a pino child (its
    // bindings serialised at once) cost ~6-9 µs on every vote.
    let log: Context['logger'] | undefined;
    const started = ctx.clock.now();
    // A component's or modal's custom_id, decoded once for its handler and its metric label.
    const id = 'customId' in interaction ? decodeCustomId(interaction.customId) : null;

    if (interaction.isAutocomplete()) {
      const autocomplete = byName.get(interaction.commandName)?.command.autocomplete;
      try {
        const choices = interaction.inGuild() && autocomplete ? await autocomplete(interaction, ctx) : [];
        await interaction.respond(choices.slice(0, MAX_CHOICES));
      } catch (error) {
        (log ??= interactionLogger(ctx, interaction)).warn({ err: error }, 'autocomplete failed; answering with no choices');
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
        onHandled({ command: interactionLabel(interaction, byName, id), outcome: 'failed' });
        return;
      }
      onHandled({ command: interactionLabel(interaction, byName, id), outcome: 'ok' });
      return;
    }
    if (!interaction.isRepliable()) return;
    let answered: Handled['outcome'] = 'ok';

    try {
      if (!interaction.inGuild()) throw UserError.of('router.guildOnly');
      if (interaction.isChatInputCommand()) {
        const entry = byName.get(interaction.commandName);
        if (!entry) {
          (log ??= interactionLogger(ctx, interaction)).warn('unknown command');
          throw UserError.of('router.unknownCommand', { command: interaction.commandName });
        }
        await runCommand(interaction, entry.command, entry.definition, ctx);
      } else if (interaction.isMessageComponent()) {
        const handler = id ? byName.get(id.scope)?.command.components?.[id.action] : undefined;
        if (!id || !handler) {
          (log ??= interactionLogger(ctx, interaction)).warn('unknown or stale custom_id');
          throw UserError.of('router.stale');
        }
        answered = (await handler(interaction, id.args, ctx)) ?? 'ok';
      } else if (interaction.isModalSubmit()) {
        const handler = id ? byName.get(id.scope)?.command.modals?.[id.action] : undefined;
        if (!id || !handler) {
          (log ??= interactionLogger(ctx, interaction)).warn('unknown or stale modal custom_id');
          throw UserError.of('router.stale');
        }
        answered = (await handler(interaction, id.args, ctx)) ?? 'ok';
      } else {
        (log ??= interactionLogger(ctx, interaction)).warn({ type: interaction.type }, 'unsupported interaction type');
        throw UserError.of('router.stale');
      }
      if (ctx.logger.isLevelEnabled('debug')) (log ??= interactionLogger(ctx, interaction)).debug({ ms: ctx.clock.now() - started }, 'handled');
      onHandled({ command: interactionLabel(interaction, byName, id), outcome: answered });
    } catch (error) {
      onHandled({ command: interactionLabel(interaction, byName, id), outcome: outcomeOf(error) });
      await answerError(interaction, error, (log ??= interactionLogger(ctx, interaction)));
    }
  };
}

/** The logger whose every line names the interaction. */
function interactionLogger(ctx: Context, interaction: Interaction): Context['logger'] {
  return ctx.logger.child({
    interactionId: interaction.id,
    guildId: interaction.guildId,
    userId: interaction.user.id,
    command: 'commandName' in interaction ? interaction.commandName : undefined,
    customId: 'customId' in interaction ? interaction.customId : undefined,
  });
}

/** How an interaction ended, for the metrics: the router decides it, bot.ts counts it. */
export interface Handled {
  command: string;
  outcome: 'ok' | 'user_error' | 'discord_error' | 'failed';
}

function outcomeOf(error: unknown): Handled['outcome'] {
  if (error instanceof UserError) return 'user_error';
  return friendlyDiscordError(error) ? 'discord_error' : 'failed';
}

/**
 * The command an interaction belongs to (a component's custom_id scope), or `unknown`: only known
 * commands become metric labels, so the label set stays small whatever Discord sends. `decoded` is
 * the custom_id already decoded, when the caller has it.
 */
export function interactionLabel(interaction: Interaction, known: { has(name: string): boolean }, decoded?: CustomId | null): string {
  const customId = (): CustomId | null => (decoded !== undefined ? decoded : 'customId' in interaction ? decodeCustomId(interaction.customId) : null);
  const name = 'commandName' in interaction ? interaction.commandName : 'customId' in interaction ? (customId()?.scope ?? '') : '';
  return known.has(name) ? name : 'unknown';
}

async function runCommand(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, command: Command, definition: CommandDefinition, ctx: Context): Promise<void> {
  checkMemberPermissions(interaction, definition.default_member_permissions ?? null);
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false);
  const key = (group && sub ? `${group} ${sub}` : sub) ?? RUN;
  const handler = command.handlers[key];
  if (!handler) throw UserError.of('router.unknownSubcommand', { subcommand: key });
  const needed = command.botPermissions?.[key];
  if (needed) {
    const missing = missingAppPermissions(interaction.appPermissions, needed.permissions, interaction.locale);
    if (missing.length > 0) throw UserError.of(needed.refusal, { missing: missing.join(', ') });
  }
  const options = readOptions(interaction, optionsOf(definition, sub === null ? null : key));
  // A member's private:true wins; otherwise the command's declared visibility.
  const declared = typeof command.visibility === 'string' ? command.visibility : (command.visibility[key] ?? 'public');
  const ephemeral = interaction.options.getBoolean('private') ?? declared === 'private';
  const flags = visibility(ephemeral);
  const call: Invocation<Record<string, unknown>> = {
    interaction,
    options,
    ctx,
    reply: async (message) => {
      await interaction.reply(withVisibility(message, ephemeral));
    },
    replyWithMessage: async (message) => (await interaction.reply({ ...withVisibility(message, ephemeral), withResponse: true })).resource?.message ?? undefined,
    defer: async () => {
      await interaction.deferReply(flags);
    },
  };
  await handler(call);
}

function checkMemberPermissions(interaction: RepliableInteraction, required: string | null): void {
  if (required === null) return;
  const needed = new PermissionsBitField(BigInt(required));
  const missing = interaction.memberPermissions?.missing(needed) ?? needed.toArray();
  if (missing.length > 0) {
    throw UserError.of('router.memberPermission', { permissions: missing.map((flag) => permissionName(flag, interaction.locale)).join(', ') });
  }
}

async function answerError(interaction: RepliableInteraction, error: unknown, log: Context['logger']): Promise<void> {
  let message: string;
  if (error instanceof UserError) {
    message = error.textIn(interaction.locale);
    log.info({ reason: error.message }, 'told the user why not');
  } else {
    const friendly = friendlyDiscordError(error, interaction.locale);
    const incident = randomBytes(4).toString('hex');
    message = friendly ?? t(interaction.locale, 'router.apology', { incident });
    log.error({ err: error, incident }, 'handler failed');
  }
  try {
    await replyPrivately(interaction, message);
  } catch (replyError) {
    log.warn({ err: replyError }, 'could not tell the user about the error');
  }
}
