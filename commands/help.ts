import { type Command, defineCommand } from '../src/discord/command.js';
import { helpMessage } from '../src/discord/messages/help.js';
import { GUILD_ONLY, PRIVATE_OPTION } from './shared.js';

const definition = () => ({ name: 'help', description: 'What each tamasha command does', ...GUILD_ONLY, options: [PRIVATE_OPTION] }) as const;

/** /help needs the full command list, which itself includes /help: it is built from that list. */
export function helpCommand(all: () => readonly Command[]): Command {
  return defineCommand(definition, {
    name: 'help',
    examples: ['/help'],
    visibility: 'public',
    handlers: {
      async run({ interaction, ctx, reply }) {
        await reply(helpMessage(all(), ctx.pack, interaction.locale));
      },
    },
  });
}
