/**
 * What a user does in the Discord client, turned into INTERACTION_CREATE payloads: slash commands,
 * autocomplete, button clicks and select menus. Each returns an InteractionHandle to observe the bot's
 * answer. The checks a real client enforces (option exists, right type, button exists on the message…) are
 * applied unless `force: true`, so a test can also send what a tampered client would.
 */
import { randomBytes } from 'node:crypto';
import { ApplicationCommandOptionType as Opt, ApplicationIntegrationType, ChannelType, ComponentType, InteractionResponseType, InteractionType, MessageType, type APIMessage, type APIMessageInteractionMetadata, type APIUser } from 'discord-api-types/v10';
import type { Gateway } from './gateway.js';
import { ATTACHMENT_SIZE_LIMIT, EVERYONE_PERMISSIONS, isThread, type LoopbackChannel, type LoopbackGuild, type LoopbackMember, type LoopbackState } from './state.js';
import { describeErrorBody, isRecord, num, records, str, waitUntil, type Json } from './util.js';

export type OptionValue = string | number | boolean;

export interface MemberInput {
  id?: string;
  username?: string;
  /** The member's permissions in the channel they act in; defaults to a plain @everyone member's. */
  permissions?: bigint | string;
  roles?: string[];
  /** The language of the member's Discord client (`interaction.locale`), e.g. 'de' or 'ja'; default 'en-US'. */
  locale?: string;
}

interface Where {
  /** Defaults to the channel's guild, or the first guild. */
  guildId?: string;
  /** Defaults to the guild's first channel. */
  channelId?: string;
  /** Defaults to one shared test member. */
  member?: LoopbackMember;
  /** Skip the checks a real Discord client would make before sending. */
  force?: boolean;
}

export interface CommandInput extends Where {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  options?: Record<string, OptionValue>;
}

export interface AutocompleteInput extends CommandInput {
  /** The option the user is typing into; its value in `options` is the partial text. */
  focused: string;
}

export interface ComponentInput {
  /** The bot's message carrying the component (its current stored version is used). */
  message: APIMessage | string;
  customId: string;
  member?: LoopbackMember;
  force?: boolean;
}

export interface SelectInput extends ComponentInput {
  values: string[];
}

export interface ModalInput {
  /** The interaction the bot answered with a modal. */
  shownBy: InteractionHandle;
  /**
   * What the user enters, by custom_id: text (string), picks of a select, checkbox group or radio
   * group (string[]), a checkbox (boolean). A field left out is submitted as the modal showed it
   * (a text input's prefilled value, the options marked default), as the Discord client does.
   */
  values: Record<string, string | string[] | boolean>;
  force?: boolean;
}

export interface InteractionCallback {
  type: InteractionResponseType;
  data: Json;
}

/** Server-side record of one interaction; responses.ts mutates it as the bot answers. */
export interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  guildId: string;
  channelId: string;
  createdAt: number;
  /** Human description for error messages, e.g. `/poll start` or `button "poll:vote:p1a2b3:0"`. */
  label: string;
  member: LoopbackMember;
  sourceMessageId?: string;
  callback?: InteractionCallback;
  /** The message `@original` designates once acknowledged. */
  originalId?: string;
  originalEdits: number;
  followUpIds: string[];
  /** Fields Discord sets on messages created through this interaction. */
  messageExtra: Partial<APIMessage>;
}

const snapshot = (m: APIMessage): APIMessage => structuredClone(m);

export class InteractionHandle {
  constructor(
    /** Exactly what was sent as INTERACTION_CREATE. */
    readonly payload: Json,
    private readonly rec: InteractionState,
    private readonly state: LoopbackState,
    private readonly timeoutMs: number,
  ) {}

  get id(): string {
    return this.rec.id;
  }

  /** `what` plus whatever the loopback refused for this interaction, so a timeout explains itself. */
  #awaiting(what: string): () => string {
    return () => {
      const refused = this.state.requests.filter((r) => r.status >= 400 && (r.path.includes(this.rec.id) || r.path.includes(this.rec.token)));
      const notes = refused.map((r) => `${r.method} ${r.path} → ${r.status} ${describeErrorBody(r.response)}`);
      return `${what} (interaction ${this.rec.id})${notes.length > 0 ? `; the loopback refused:\n  ${notes.join('\n  ')}` : ''}`;
    };
  }

  /** The first (and only accepted) interaction callback. */
  response(timeoutMs = this.timeoutMs): Promise<InteractionCallback> {
    return waitUntil(this.state, () => this.rec.callback, timeoutMs, this.#awaiting(`the bot to respond to ${this.rec.label}`));
  }

  /**
   * The message the user ends up seeing: the reply (type 4), the deferred message once edited (5), the
   * updated component message (7), or the component message once edited after a deferred update (6).
   */
  waitForReply(timeoutMs = this.timeoutMs): Promise<APIMessage> {
    return waitUntil(this.state, () => {
      const cb = this.rec.callback;
      if (!cb) return undefined;
      if (cb.type === InteractionResponseType.ApplicationCommandAutocompleteResult || cb.type === InteractionResponseType.Modal) {
        throw new Error(`${this.rec.label} was answered with ${InteractionResponseType[cb.type]} (type ${cb.type}); there is no reply message`);
      }
      const deferred = cb.type === InteractionResponseType.DeferredChannelMessageWithSource || cb.type === InteractionResponseType.DeferredMessageUpdate;
      if (deferred && this.rec.originalEdits === 0) return undefined;
      const message = this.state.messages.get(this.rec.originalId ?? '');
      if (!message) throw new Error(`the reply to ${this.rec.label} (message ${this.rec.originalId ?? '?'}) was deleted`);
      return snapshot(message);
    }, timeoutMs, this.#awaiting(`the reply to ${this.rec.label}`));
  }

  /** Follow-up messages still existing, in send order. */
  get followUps(): APIMessage[] {
    return this.rec.followUpIds.flatMap((id) => {
      const m = this.state.messages.get(id);
      return m ? [snapshot(m)] : [];
    });
  }

  waitForFollowUps(count: number, timeoutMs = this.timeoutMs): Promise<APIMessage[]> {
    return waitUntil(this.state, () => (this.rec.followUpIds.length >= count ? this.followUps : undefined), timeoutMs, this.#awaiting(`${count} follow-up(s) to ${this.rec.label}`));
  }

  async autocompleteChoices(timeoutMs = this.timeoutMs): Promise<Array<{ name: string; value: string | number }>> {
    const cb = await this.response(timeoutMs);
    if (cb.type !== InteractionResponseType.ApplicationCommandAutocompleteResult) throw new Error(`${this.rec.label} was answered with type ${cb.type}, not autocomplete choices`);
    return records(cb.data.choices).map((c) => ({ name: str(c.name) ?? '', value: typeof c.value === 'number' ? c.value : (str(c.value) ?? '') }));
  }
}

/** Which option values a Discord client lets a user type for each option type. */
function valueFits(type: number, value: OptionValue): boolean {
  if (type === Opt.Integer) return Number.isInteger(value);
  if (type === Opt.Number) return typeof value === 'number';
  if (type === Opt.Boolean) return typeof value === 'boolean';
  return typeof value === 'string';
}

function inferType(value: OptionValue): Opt {
  if (typeof value === 'boolean') return Opt.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? Opt.Integer : Opt.Number;
  return Opt.String;
}

function findComponent(components: unknown, customId: string): Json | undefined {
  for (const c of records(components)) {
    if (c.custom_id === customId) return c;
    if (isRecord(c.accessory) && c.accessory.custom_id === customId) return c.accessory;
    const nested = findComponent(c.components, customId);
    if (nested) return nested;
  }
  return undefined;
}

interface Target {
  guild: LoopbackGuild;
  channel: LoopbackChannel;
  member: LoopbackMember;
}

export class Interactions {
  readonly byId = new Map<string, InteractionState>();
  readonly byToken = new Map<string, InteractionState>();
  #defaultMember: LoopbackMember | undefined;

  constructor(
    private readonly state: LoopbackState,
    private readonly gateway: Gateway,
    private readonly timeoutMs: number,
  ) {}

  member(input: MemberInput = {}): LoopbackMember {
    const id = input.id ?? this.state.ids.next();
    const username = input.username ?? `member${this.state.members.size + 1}`;
    const user: APIUser = { id, username, discriminator: '0', global_name: username, avatar: null };
    const permissions = input.permissions ?? EVERYONE_PERMISSIONS;
    const member: LoopbackMember = { id, username, user, roles: input.roles ?? [], permissions: permissions.toString(), locale: input.locale ?? 'en-US' };
    this.state.users.set(id, user);
    this.state.members.set(id, member);
    this.state.changed();
    return member;
  }

  #where(where: Where): Target {
    const channel = where.channelId ? this.state.channels.get(where.channelId) : undefined;
    if (where.channelId && !channel) throw new Error(`unknown channel ${where.channelId}`);
    const guild = this.state.guild(where.guildId ?? channel?.guildId ?? this.state.guilds[0]?.id ?? '');
    if (!guild) throw new Error(`unknown guild ${where.guildId ?? '(none configured)'}`);
    const target = channel ?? guild.channels.find((c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement) ?? guild.channels[0];
    if (!target) throw new Error(`guild ${guild.name} has no channels`);
    if (target.guildId !== guild.id) throw new Error(`channel ${target.id} is not in guild ${guild.id}`);
    this.#defaultMember ??= this.member({ username: 'tester' });
    return { guild, channel: target, member: where.member ?? this.#defaultMember };
  }

  /** `resolved` entries for id-valued options / select values, for whatever the loopback knows about. */
  #resolved(guild: LoopbackGuild, ids: Array<{ id: string; type: number }>): Json | undefined {
    const out: Record<'users' | 'members' | 'roles' | 'channels', Json> = { users: {}, members: {}, roles: {}, channels: {} };
    for (const { id, type } of ids) {
      const member = this.state.members.get(id);
      const user = this.state.users.get(id);
      const role = this.state.roles(guild).find((r) => r.id === id);
      const channel = this.state.channels.get(id);
      const wantsUser = type === Opt.User || type === Opt.Mentionable;
      if (wantsUser && user) out.users[id] = user;
      if (wantsUser && member) {
        const { user: _user, ...partial } = this.state.memberPayload(member);
        out.members[id] = partial;
      }
      if ((type === Opt.Role || type === Opt.Mentionable) && role) out.roles[id] = role;
      if (type === Opt.Channel && channel) out.channels[id] = { ...this.state.channelPayload(channel), permissions: this.state.botPermissions(channel.id).toString() };
    }
    const present = Object.entries(out).filter(([, v]) => Object.keys(v).length > 0);
    return present.length > 0 ? Object.fromEntries(present) : undefined;
  }

  #commandData(input: CommandInput, guild: LoopbackGuild, focused?: string): { data: Json; label: string } {
    const command = this.state.commandsFor(guild.id).find((c) => c.name === input.name && (c.type ?? 1) === 1);
    const strict = command !== undefined && !input.force;
    const label = ['/' + input.name, input.subcommandGroup, input.subcommand].filter(Boolean).join(' ');
    let defs = records(command?.options);
    const descend = (name: string | undefined, type: Opt): void => {
      if (name === undefined) return;
      const def = defs.find((d) => d.name === name && d.type === type);
      if (strict && !def) throw new Error(`${label}: registered /${input.name} has no ${Opt[type]} "${name}"`);
      defs = records(def?.options);
    };
    descend(input.subcommandGroup, Opt.SubcommandGroup);
    descend(input.subcommand, Opt.Subcommand);
    if (strict && defs.some((d) => d.type === Opt.Subcommand || d.type === Opt.SubcommandGroup)) {
      throw new Error(`${label}: pick one of ${defs.map((d) => str(d.name)).join(', ')}`);
    }
    const leaves: Json[] = [];
    const ids: Array<{ id: string; type: number }> = [];
    for (const [name, value] of Object.entries(input.options ?? {})) {
      const def = defs.find((d) => d.name === name);
      if (strict && !def) throw new Error(`${label} has no option "${name}" (has: ${defs.map((d) => str(d.name)).join(', ') || 'none'})`);
      const type = num(def?.type) ?? inferType(value);
      const isFocused = name === focused;
      if (strict && def && isFocused && def.autocomplete !== true) throw new Error(`${label}: option "${name}" is not an autocomplete option`);
      if (strict && !isFocused && !valueFits(type, value)) throw new Error(`${label}: option "${name}" is ${Opt[type]}, got ${JSON.stringify(value)}`);
      const choices = records(def?.choices);
      if (strict && !isFocused && choices.length > 0 && !choices.some((c) => c.value === value)) {
        throw new Error(`${label}: ${JSON.stringify(value)} is not a choice of "${name}" (${choices.map((c) => JSON.stringify(c.value)).join(', ')})`);
      }
      if (typeof value === 'string' && [Opt.User, Opt.Channel, Opt.Role, Opt.Mentionable].includes(type)) ids.push({ id: value, type });
      leaves.push({ name, type, value, ...(isFocused ? { focused: true } : {}) });
    }
    if (strict && focused === undefined) {
      const missing = defs.filter((d) => d.required === true && !Object.hasOwn(input.options ?? {}, str(d.name) ?? ''));
      if (missing.length > 0) throw new Error(`${label}: missing required option(s) ${missing.map((d) => str(d.name)).join(', ')}`);
    }
    let options = leaves;
    if (input.subcommand !== undefined) options = [{ type: Opt.Subcommand, name: input.subcommand, options }];
    if (input.subcommandGroup !== undefined) options = [{ type: Opt.SubcommandGroup, name: input.subcommandGroup, options }];
    const resolved = this.#resolved(guild, ids);
    const data: Json = {
      id: command?.id ?? this.state.ids.next(), name: input.name, type: 1, options,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}), ...(resolved ? { resolved } : {}),
    };
    return { data, label };
  }

  #dispatch(type: InteractionType, where: Target, data: Json, label: string, opts: { source?: APIMessage | undefined; trigger?: InteractionState } = {}): InteractionHandle {
    const { guild, channel, member } = where;
    const source = opts.source;
    const id = this.state.ids.next();
    const token = `lb.${randomBytes(24).toString('base64url')}`;
    const owners = { [ApplicationIntegrationType.GuildInstall]: guild.id };
    const base = { id, user: member.user, authorizing_integration_owners: owners };
    const triggering = opts.trigger?.messageExtra.interaction_metadata;
    const metadata: APIMessageInteractionMetadata =
      type === InteractionType.MessageComponent && source
        ? { ...base, type, interacted_message_id: source.id }
        : type === InteractionType.ModalSubmit && triggering && triggering.type !== InteractionType.ModalSubmit
          ? { ...base, type, triggering_interaction_metadata: triggering }
          : { ...base, type: InteractionType.ApplicationCommand };
    const commandName = label.replace(/^\//, '');
    const rec: InteractionState = {
      id, token, type, guildId: guild.id, channelId: channel.id, createdAt: this.state.now(), label, member, originalEdits: 0, followUpIds: [],
      ...(source ? { sourceMessageId: source.id } : {}),
      messageExtra: {
        webhook_id: this.state.applicationId, application_id: this.state.applicationId, interaction_metadata: metadata,
        // Discord still sends the deprecated `interaction` on command replies; discord.js reads it.
        ...(type === InteractionType.ApplicationCommand ? { interaction: { id, type, name: commandName, user: member.user }, type: MessageType.ChatInputCommand } : {}),
      },
    };
    const payload: Json = {
      id, application_id: this.state.applicationId, type, data, token, version: 1,
      guild_id: guild.id, guild: { id: guild.id, locale: guild.locale, features: [] },
      channel_id: channel.id, channel: this.state.channelPayload(channel),
      member: { ...this.state.memberPayload(member), permissions: this.state.access.permissionsIn(guild.id, isThread(channel) && channel.parentId ? channel.parentId : channel.id, member, BigInt(member.permissions)).toString() }, app_permissions: this.state.botPermissions(channel.id).toString(),
      locale: member.locale, guild_locale: guild.locale, entitlements: [], authorizing_integration_owners: owners, context: 0, attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
      ...(source ? { message: source } : {}),
    };
    this.byId.set(id, rec);
    this.byToken.set(token, rec);
    this.gateway.dispatchInteraction(guild.id, payload);
    return new InteractionHandle(payload, rec, this.state, this.timeoutMs);
  }

  sendCommand(input: CommandInput): InteractionHandle {
    const where = this.#where(input);
    const { data, label } = this.#commandData(input, where.guild);
    return this.#dispatch(InteractionType.ApplicationCommand, where, data, label);
  }

  sendAutocomplete(input: AutocompleteInput): InteractionHandle {
    const where = this.#where(input);
    const { data, label } = this.#commandData(input, where.guild, input.focused);
    return this.#dispatch(InteractionType.ApplicationCommandAutocomplete, where, data, `autocomplete of ${label} "${input.focused}"`);
  }

  #component(input: ComponentInput, kind: 'button' | 'select'): { message: APIMessage; component: Json | undefined; where: Target } {
    const messageId = typeof input.message === 'string' ? input.message : input.message.id;
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`${kind} "${input.customId}": message ${messageId} does not exist (deleted?)`);
    const component = findComponent(message.components, input.customId);
    const isButton = component?.type === ComponentType.Button;
    if (!input.force) {
      if (!component || isButton !== (kind === 'button')) throw new Error(`message ${messageId} has no ${kind} "${input.customId}"`);
      if (component.disabled === true) throw new Error(`${kind} "${input.customId}" is disabled`);
    }
    const where = this.#where({ channelId: message.channel_id, ...(input.member ? { member: input.member } : {}) });
    return { message: structuredClone(message), component, where };
  }

  clickButton(input: ComponentInput): InteractionHandle {
    const { message, where } = this.#component(input, 'button');
    const data = { custom_id: input.customId, component_type: ComponentType.Button };
    return this.#dispatch(InteractionType.MessageComponent, where, data, `button "${input.customId}"`, { source: message });
  }

  selectMenu(input: SelectInput): InteractionHandle {
    const { message, component, where } = this.#component(input, 'select');
    const type = num(component?.type) ?? ComponentType.StringSelect;
    if (!input.force && component) {
      const min = num(component.min_values) ?? 1;
      const max = num(component.max_values) ?? 1;
      if (input.values.length < min || input.values.length > max) throw new Error(`select "${input.customId}" takes ${min}–${max} values, got ${input.values.length}`);
      const offered = records(component.options).map((o) => o.value);
      const bad = type === ComponentType.StringSelect ? input.values.filter((v) => !offered.includes(v)) : [];
      if (bad.length > 0) throw new Error(`select "${input.customId}" offers no value ${bad.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    const optType = { [ComponentType.UserSelect]: Opt.User, [ComponentType.RoleSelect]: Opt.Role, [ComponentType.MentionableSelect]: Opt.Mentionable, [ComponentType.ChannelSelect]: Opt.Channel }[type];
    const resolved = optType === undefined ? undefined : this.#resolved(where.guild, input.values.map((id) => ({ id, type: optType })));
    const data = { custom_id: input.customId, component_type: type, values: input.values, ...(resolved ? { resolved } : {}) };
    return this.#dispatch(InteractionType.MessageComponent, where, data, `select "${input.customId}"`, { source: message });
  }

  /** The user filling in and submitting the modal the bot showed (type 5, same user, channel and message). */
  submitModal(input: ModalInput): InteractionHandle {
    const origin = this.byId.get(input.shownBy.id);
    const shown = origin?.callback;
    if (!origin || shown?.type !== InteractionResponseType.Modal) throw new Error(`${origin?.label ?? 'that interaction'} was not answered with a modal`);
    const fieldIds = new Set<string>();
    const modalId = str(shown.data.custom_id) ?? '';
    const refuse = (why: string): never => {
      throw new Error(`modal "${modalId}": ${why}`);
    };
    const field = (c: Json): Json => {
      const customId = str(c.custom_id) ?? '';
      fieldIds.add(customId);
      const given = input.values[customId];
      const required = c.required !== false;
      const defaults = records(c.options).filter((o) => o.default === true).map((o) => str(o.value) ?? '');
      if (c.type === ComponentType.TextInput) {
        const value = typeof given === 'string' ? given : (str(c.value) ?? '');
        if (!input.force && required && value === '') refuse(`text input "${customId}" is required`);
        const [min, max] = [num(c.min_length) ?? 0, num(c.max_length) ?? 4000];
        if (!input.force && value !== '' && (value.length < min || value.length > max)) refuse(`text input "${customId}" takes ${min}–${max} characters, got ${value.length}`);
        return { type: c.type, custom_id: customId, value };
      }
      if (c.type === ComponentType.Checkbox) return { type: c.type, custom_id: customId, value: typeof given === 'boolean' ? given : c.default === true };
      const values = given === undefined ? defaults : typeof given === 'boolean' ? [] : [given].flat();
      if (!input.force && (c.type === ComponentType.StringSelect || c.type === ComponentType.CheckboxGroup || c.type === ComponentType.RadioGroup)) {
        const offered = records(c.options).map((o) => str(o.value));
        const bad = values.filter((v) => !offered.includes(v));
        if (bad.length > 0) refuse(`"${customId}" offers no value ${bad.map((v) => JSON.stringify(v)).join(', ')}`);
        const min = c.type === ComponentType.RadioGroup ? 0 : (num(c.min_values) ?? 1);
        const max = c.type === ComponentType.RadioGroup ? 1 : (num(c.max_values) ?? (c.type === ComponentType.CheckboxGroup ? offered.length : 1));
        if (values.length > max || (values.length < min && (required || values.length > 0))) refuse(`"${customId}" takes ${min}–${max} values, got ${values.length}`);
        if (required && values.length === 0) refuse(`"${customId}" is required`);
      }
      if (c.type === ComponentType.RadioGroup) return { type: c.type, custom_id: customId, value: values[0] ?? null };
      return { type: c.type, custom_id: customId, values };
    };
    // Submitted components mirror the modal: rows of text inputs, or labels wrapping one component.
    const components = records(shown.data.components).map((top) => {
      if (isRecord(top.component)) return { type: top.type, id: top.id, component: field(top.component) };
      if (top.type === ComponentType.ActionRow) return { type: top.type, components: records(top.components).map(field) };
      return { type: top.type, id: top.id };
    });
    const stray = Object.keys(input.values).filter((k) => !fieldIds.has(k));
    if (!input.force && stray.length > 0) refuse(`there is no field ${stray.join(', ')}`);
    const source = this.state.messages.get(origin.sourceMessageId ?? '');
    const where = this.#where({ channelId: origin.channelId, member: origin.member });
    const data = { custom_id: shown.data.custom_id, components };
    return this.#dispatch(InteractionType.ModalSubmit, where, data, `modal "${str(shown.data.custom_id) ?? ''}"`, { source: source && structuredClone(source), trigger: origin });
  }
}
