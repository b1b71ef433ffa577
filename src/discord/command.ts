import type {
  ApplicationCommandOptionType,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  CommandInteractionOption,
  Message,
  MessageComponentInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  User,
} from 'discord.js';
import type { Choice } from '../choices.js';
import type { Context } from '../context.js';
import type { BotKey } from '../i18n/index.js';
import type { StoryPack } from '../story/types.js';
import type { ReplyMessage } from './reply.js';

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;
type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** A definition as a module writes it, `as const`: checked against Discord's API type, kept literal for typed options. */
export type Definition = DeepReadonly<CommandDefinition>;
/** Who sees a command's replies unless the member adds `private:true`. */
export type Visibility = 'public' | 'private';
/** The handler key of a command that has no subcommands. */
export const RUN = 'run';

/** An option as a definition spells it (`as const`): enough to know the value a handler reads. */
interface OptionShape {
  readonly type: ApplicationCommandOptionType;
  readonly name: string;
  readonly required?: boolean;
  readonly options?: readonly OptionShape[];
}

type ValueOf<T> = T extends ApplicationCommandOptionType.String
  ? string
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : T extends ApplicationCommandOptionType.Boolean
      ? boolean
      : T extends ApplicationCommandOptionType.Channel
        ? NonNullable<CommandInteractionOption['channel']>
        : T extends ApplicationCommandOptionType.Role
          ? NonNullable<CommandInteractionOption['role']>
          : T extends ApplicationCommandOptionType.User
            ? User
            : never;

type Values<O> = O extends readonly OptionShape[] ? { [X in O[number] as X['name']]: X['required'] extends true ? ValueOf<X['type']> : ValueOf<X['type']> | null } : Record<never, never>;
type TopOptions<D> = D extends { readonly options: infer O extends readonly OptionShape[] } ? O : readonly [];
type GroupOf<D> = Extract<TopOptions<D>[number], { readonly type: ApplicationCommandOptionType.SubcommandGroup }>;
/** A group's subcommands, named "<group> <sub>" as the router dispatches them. */
type Grouped<G> = G extends { readonly name: infer GN extends string; readonly options: readonly (infer S)[] }
  ? S extends { readonly name: infer SN extends string }
    ? Omit<S, 'name' | 'type'> & { readonly name: `${GN} ${SN}`; readonly type: ApplicationCommandOptionType.Subcommand }
    : never
  : never;
type SubcommandOf<D> = Extract<TopOptions<D>[number], { readonly type: ApplicationCommandOptionType.Subcommand }> | Grouped<GroupOf<D>>;

/** The subcommands of a definition, or RUN when it has none. */
export type HandlerName<D> = [SubcommandOf<D>] extends [never] ? typeof RUN : SubcommandOf<D>['name'];
/** The options a handler reads, typed from the definition: renaming one there fails the type-check here. */
export type OptionsOf<D, K extends HandlerName<D>> = [SubcommandOf<D>] extends [never] ? Values<TopOptions<D>> : Values<Extract<SubcommandOf<D>, { readonly name: K }>['options']>;

/** What a handler receives: the interaction, its options, and replies that follow the command's visibility. */
export interface Invocation<O> {
  interaction: ChatInputCommandInteraction<'cached' | 'raw'>;
  options: O;
  ctx: Context;
  reply(message: ReplyMessage): Promise<void>;
  /** The same reply, returning the message posted (to edit it later or open a thread on it). */
  replyWithMessage(message: ReplyMessage): Promise<Message | undefined>;
  /** Acknowledges now, with the same visibility, for work that may take longer than Discord's 3 seconds. */
  defer(): Promise<void>;
}

export type Handler<O> = (call: Invocation<O>) => Promise<void>;
/**
 * A component's handler. One that answers a refusal or a failure itself (instead of throwing) says
 * so in what it returns, so the metrics count it as such; nothing returned means it went through.
 */
export type ComponentHandler = (interaction: MessageComponentInteraction<'cached' | 'raw'>, args: string[], ctx: Context) => Promise<void | 'user_error' | 'failed'>;
/** A modal's handler, keyed like components by the custom_id action; answers like a ComponentHandler. */
export type ModalHandler = (interaction: ModalSubmitInteraction<'cached' | 'raw'>, args: string[], ctx: Context) => Promise<void | 'user_error' | 'failed'>;
/** Autocomplete for a command; `handler` names the subcommand being typed ("<group> <sub>", or RUN), typed from the definition. */
export type AutocompleteHandler<H extends string = string> = (interaction: AutocompleteInteraction<'cached' | 'raw'>, ctx: Context, handler: H) => Promise<Choice[]>;

/** Permissions the bot needs in the channel, and the refusal (a string with `{{missing}}`) that names the missing ones. */
export interface BotPermissions {
  permissions: readonly bigint[];
  refusal: BotKey;
}

/**
 * A component's or a modal's handler with what the router checks before it runs, as it does for
 * subcommands: the member's permissions where they clicked or submitted, and the bot's there.
 */
export interface Guarded<H> {
  run: H;
  /** Refused with the router's "you need …" answer naming the missing ones. */
  memberPermissions?: readonly bigint[];
  botPermissions?: BotPermissions;
}

/** What a command module declares beside its definition `D` (written `as const`). */
export interface CommandSpec<D extends Definition> {
  /** The definition's name, known before the story pack is loaded. */
  name: D['name'];
  /** Text for /help: one example per line. */
  examples: string[];
  visibility: Visibility | { readonly [K in HandlerName<D>]: Visibility };
  /** One handler per subcommand (RUN for a command without subcommands). */
  handlers: { readonly [K in HandlerName<D>]: Handler<OptionsOf<D, K>> };
  /** Checked by the router before the handler runs. */
  botPermissions?: { readonly [K in HandlerName<D>]?: BotPermissions };
  /** Permissions the member needs for a subcommand (beyond the definition's default_member_permissions), checked by the router in the channel where it is typed. */
  memberPermissions?: { readonly [K in HandlerName<D>]?: readonly bigint[] };
  /** Returns choices; the router answers, trimmed to Discord's MAX_CHOICES. */
  autocomplete?: AutocompleteHandler<HandlerName<D>>;
  /** Handlers for this command's buttons and menus, keyed by the custom_id action. */
  components?: Readonly<Record<string, ComponentHandler | Guarded<ComponentHandler>>>;
  /** Handlers for the modals this command shows, keyed by the modal's custom_id action. */
  modals?: Readonly<Record<string, ModalHandler | Guarded<ModalHandler>>>;
}

/** A command as the router and the deploy script see it, whatever its definition. */
export interface Command {
  name: string;
  definition(pack: StoryPack): CommandDefinition;
  examples: string[];
  visibility: Visibility | Readonly<Record<string, Visibility>>;
  handlers: Readonly<Record<string, Handler<Record<string, unknown>>>>;
  botPermissions?: Readonly<Record<string, BotPermissions | undefined>>;
  memberPermissions?: Readonly<Record<string, readonly bigint[] | undefined>>;
  autocomplete?: AutocompleteHandler;
  components?: Readonly<Record<string, ComponentHandler | Guarded<ComponentHandler>>>;
  modals?: Readonly<Record<string, ModalHandler | Guarded<ModalHandler>>>;
}

/** A component's or a modal's handler and its checks, whether declared bare or Guarded. */
export function guarded<H extends ComponentHandler | ModalHandler>(entry: H | Guarded<H>): Guarded<H> {
  return typeof entry === 'function' ? { run: entry } : entry;
}

/**
 * Declares a command. `definition` is built from the story pack (so choices follow the data) and
 * checked against Discord's rules in tests. The router reads every handler's options from that
 * same definition, which is what makes the handlers' typed options true at run time.
 */
export function defineCommand<const D extends Definition>(definition: (pack: StoryPack) => D, spec: NoInfer<CommandSpec<D>>): Command {
  return { ...spec, definition } as unknown as Command;
}
