import { type APIApplicationCommandOption, ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import type { CommandDefinition } from './command.js';

type Subcommand = Extract<APIApplicationCommandOption, { type: ApplicationCommandOptionType.Subcommand }>;

/** A definition's subcommands, in the order they are registered. */
export function subcommandsOf(definition: CommandDefinition): Subcommand[] {
  return (definition.options ?? []).filter((o): o is Subcommand => o.type === ApplicationCommandOptionType.Subcommand);
}

/** The options of subcommand `sub`, or of the command itself when `sub` is null. */
export function optionsOf(definition: CommandDefinition, sub: string | null): readonly APIApplicationCommandOption[] {
  if (sub === null) return definition.options ?? [];
  return subcommandsOf(definition).find((s) => s.name === sub)?.options ?? [];
}

/** The values the member gave, read by the type each option is defined with; absent ones are null. */
export function readOptions(interaction: ChatInputCommandInteraction, options: readonly APIApplicationCommandOption[]): Record<string, unknown> {
  const resolver = interaction.options;
  return Object.fromEntries(
    options.map((o) => {
      const required = 'required' in o ? (o.required ?? false) : false;
      switch (o.type) {
        case ApplicationCommandOptionType.String:
          return [o.name, resolver.getString(o.name, required)];
        case ApplicationCommandOptionType.Integer:
          return [o.name, resolver.getInteger(o.name, required)];
        case ApplicationCommandOptionType.Number:
          return [o.name, resolver.getNumber(o.name, required)];
        case ApplicationCommandOptionType.Boolean:
          return [o.name, resolver.getBoolean(o.name, required)];
        case ApplicationCommandOptionType.Channel:
          return [o.name, resolver.getChannel(o.name, required)];
        case ApplicationCommandOptionType.Role:
          return [o.name, resolver.getRole(o.name, required)];
        case ApplicationCommandOptionType.User:
          return [o.name, resolver.getUser(o.name, required)];
        default:
          return [o.name, resolver.get(o.name, required)?.value ?? null];
      }
    }),
  );
}
