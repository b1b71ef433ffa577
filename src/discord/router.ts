import { type ChatInputCommandInteraction, type Interaction, PermissionsBitField, type RepliableInteraction } from 'discord.js';
import { MAX_CHOICES } from '../constants.js';
import type { Context } from '../context.js';
import { incidentId, UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { t } from '../i18n/index.js';
import { type Command, type CommandDefinition, type ComponentHandler, type Guarded, guarded, type Invocation, type ModalHandler, RUN } from './command.js';
import { type CustomId, decodeCustomId } from './custom-id.js';
import { friendlyDiscordError } from './errors.js';
import { optionsOf, readOptions } from './options.js';
import { missingAppPermissions, permissionName } from './permissions.js';
import { replyPrivately, visibility, withVisibility } from './reply.js';

type Handlers = { components: ComponentHandler; modals: ModalHandler };

/**
 * Routes every interaction to its command module and owns the rules every command shares: servers
 * only, the member's and the bot's permissions, subcommand dispatch, who sees the reply. It is also
 * the one place errors are answered: UserError → its message; known Discord errors → plain words;
 * anything else → an apology with an incident id that also appears in the log. All of them
 * ephemeral; the process keeps running.
 */
export function createRouter(commands: readonly Command[], ctx: Context, onHandled: (handled: Handled) => void = () => undefined): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.name, { command: c, definition: c.definition(ctx.pack) }]));
  /** The component or modal handler a custom_id names, with its checks and arguments; an unknown or stale one is a UserError. */
  const handlerOf = <K extends 'components' | 'modals'>(kind: K, id: CustomId | null, log: () => Logger) => {
    // TypeScript does not narrow `command[kind]` by K; the table K names holds K's handlers.
    const entry = (id ? byName.get(id.scope)?.command[kind]?.[id.action] : undefined) as Handlers[K] | Guarded<Handlers[K]> | undefined;
    if (!id || !entry) {
      log().warn(kind === 'modals' ? 'unknown or stale modal custom_id' : 'unknown or stale custom_id');
      throw UserError.of('router.stale');
    }
    return { ...guarded(entry), args: id.args };
  };

  return async (interaction) => {
    // Made on first use (interactionLogger): most interactions log nothing, and a pino child (its
    // bindings serialised at once) cost ~6-9 µs on every vote.
    let logger: Context['logger'] | undefined;
    const log = () => (logger ??= interactionLogger(ctx, interaction));
    const started = ctx.clock.now();
    // A component's or modal's custom_id, decoded once for its handler and its metric label.
    const id = 'customId' in interaction ? decodeCustomId(interaction.customId) : null;

    if (interaction.isAutocomplete()) {
      const autocomplete = byName.get(interaction.commandName)?.command.autocomplete;
      try {
        const choices = interaction.inGuild() && autocomplete ? await autocomplete(interaction, ctx, handlerKey(interaction.options)) : [];
        await interaction.respond(choices.slice(0, MAX_CHOICES));
      } catch (error) {
        log().warn({ err: error }, 'autocomplete failed; answering with no choices');
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
          log().warn('unknown command');
          throw UserError.of('router.unknownCommand', { command: interaction.commandName });
        }
        await runCommand(interaction, entry.command, entry.definition, ctx);
      } else if (interaction.isMessageComponent()) {
        const { run, args, ...checks } = handlerOf('components', id, log);
        checkPermissions(interaction, checks);
        answered = (await run(interaction, args, ctx)) ?? 'ok';
      } else if (interaction.isModalSubmit()) {
        const { run, args, ...checks } = handlerOf('modals', id, log);
        checkPermissions(interaction, checks);
        answered = (await run(interaction, args, ctx)) ?? 'ok';
      } else {
        log().warn({ type: interaction.type }, 'unsupported interaction type');
        throw UserError.of('router.stale');
      }
      if (ctx.logger.isLevelEnabled('debug')) log().debug({ ms: ctx.clock.now() - started }, 'handled');
      onHandled({ command: interactionLabel(interaction, byName, id), outcome: answered });
    } catch (error) {
      onHandled({ command: interactionLabel(interaction, byName, id), outcome: outcomeOf(error) });
      await answerError(interaction, error, log());
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
  const sub = interaction.options.getSubcommand(false);
  const key = handlerKey(interaction.options);
  const handler = command.handlers[key];
  if (!handler) throw UserError.of('router.unknownSubcommand', { subcommand: key });
  checkPermissions(interaction, { memberPermissions: command.memberPermissions?.[key], botPermissions: command.botPermissions?.[key] });
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

/** The handler an interaction's options name: "<group> <sub>", "<sub>", or RUN for a command without subcommands. */
function handlerKey(options: { getSubcommandGroup(required: false): string | null; getSubcommand(required: false): string | null }): string {
  const group = options.getSubcommandGroup(false);
  const sub = options.getSubcommand(false);
  return (group && sub ? `${group} ${sub}` : sub) ?? RUN;
}

/** The member's, then the bot's permissions a handler declares, where the interaction happened; refused naming the missing ones. */
function checkPermissions(interaction: RepliableInteraction, checks: Omit<Guarded<unknown>, 'run'>): void {
  if (checks.memberPermissions) checkMemberPermissions(interaction, checks.memberPermissions);
  const needed = checks.botPermissions;
  if (needed) {
    const missing = missingAppPermissions(interaction.appPermissions, needed.permissions, interaction.locale);
    if (missing.length > 0) throw UserError.of(needed.refusal, { missing: missing.join(', ') });
  }
}

function checkMemberPermissions(interaction: RepliableInteraction, required: string | readonly bigint[] | null): void {
  if (required === null) return;
  const needed = new PermissionsBitField(typeof required === 'string' ? BigInt(required) : required);
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
    const incident = incidentId();
    message = friendly ?? t(interaction.locale, 'router.apology', { incident });
    log.error({ err: error, incident }, 'handler failed');
  }
  try {
    await replyPrivately(interaction, message);
  } catch (replyError) {
    log.warn({ err: replyError }, 'could not tell the user about the error');
  }
}
