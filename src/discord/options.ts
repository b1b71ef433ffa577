import { type APIApplicationCommandOption, ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandDefinition } from './command.js';

type Subcommand = Extract<APIApplicationCommandOption, { type: ApplicationCommandOptionType.Subcommand }>;
type Group = Extract<APIApplicationCommandOption, { type: ApplicationCommandOptionType.SubcommandGroup }>;

/**
 * A definition's subcommands, in the order they are registered; a group's are named "<group> <sub>"
 * (`update add` for /story update add), which is also their handler's name.
 */
export function subcommandsOf(definition: CommandDefinition): Subcommand[] {
  return (definition.options ?? []).flatMap((o): Subcommand[] => {
    if (o.type === ApplicationCommandOptionType.Subcommand) return [o];
    if (o.type === ApplicationCommandOptionType.SubcommandGroup) return ((o as Group).options ?? []).map((s) => ({ ...s, name: `${o.name} ${s.name}` }));
    return [];
  });
}

/** The options of subcommand `sub`, or of the command itself when `sub` is null. */
export function optionsOf(definition: CommandDefinition, sub: string | null): readonly APIApplicationCommandOption[] {
  if (sub === null) return definition.options ?? [];
  return subcommandsOf(definition).find((s) => s.name === sub)?.options ?? [];
}

type Resolver = ChatInputCommandInteraction['options'];
type Reader = (resolver: Resolver, name: string, required: boolean) => unknown;

/** How each option type is read; any other type is read as its raw value. */
const READERS: Partial<Record<ApplicationCommandOptionType, Reader>> = {
  [ApplicationCommandOptionType.String]: (r, name, required) => r.getString(name, required),
  [ApplicationCommandOptionType.Integer]: (r, name, required) => r.getInteger(name, required),
  [ApplicationCommandOptionType.Number]: (r, name, required) => r.getNumber(name, required),
  [ApplicationCommandOptionType.Boolean]: (r, name, required) => r.getBoolean(name, required),
  [ApplicationCommandOptionType.Channel]: (r, name, required) => r.getChannel(name, required),
  [ApplicationCommandOptionType.Role]: (r, name, required) => r.getRole(name, required),
  [ApplicationCommandOptionType.User]: (r, name, required) => r.getUser(name, required),
};

/** The values the member gave, read by the type each option is defined with; absent ones are null. */
export function readOptions(interaction: ChatInputCommandInteraction, options: readonly APIApplicationCommandOption[]): Record<string, unknown> {
  return Object.fromEntries(
    options.map((o) => {
      const required = 'required' in o ? (o.required ?? false) : false;
      const read = READERS[o.type];
      return [o.name, read ? read(interaction.options, o.name, required) : (interaction.options.get(o.name, required)?.value ?? null)];
    }),
  );
}
