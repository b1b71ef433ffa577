import { type Card, clip, COLORS } from '../../card.js';
import type { StoryPack } from '../../story/types.js';
import type { Command } from '../command.js';
import { subcommandsOf } from '../options.js';
import { cardPanel, layoutMessage, type LayoutMessage } from './layout.js';

/** One line per subcommand, straight from the definitions, so help can't drift from what is registered. */
function usage(command: Command, pack: StoryPack): string {
  const definition = command.definition(pack);
  const subs = subcommandsOf(definition);
  const lines = subs.length > 0 ? subs.map((s) => `\`/${definition.name} ${s.name}\` — ${s.description}`) : [`\`/${definition.name}\` — ${definition.description}`];
  const examples = command.examples.map((e) => `e.g. \`${e}\``).join('  ');
  return [...lines, examples].filter(Boolean).join('\n');
}

export function renderHelp(commands: readonly Command[], pack: StoryPack): Card {
  return {
    title: 'tamasha — talk about one story together',
    description: clip(`tamasha helps this server discuss one story: **${pack.story.title}**\n⚠️ ${pack.story.disclaimer}`, 4096),
    fields: commands.map((c) => ({ name: `/${c.name}`, value: clip(usage(c, pack), 1024) })),
    footer: 'Add private:true to most commands to see the answer on your own.',
    color: COLORS.help,
  };
}

export const helpMessage = (commands: readonly Command[], pack: StoryPack): LayoutMessage => layoutMessage([cardPanel(renderHelp(commands, pack))]);
