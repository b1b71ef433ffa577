import { type Card, clip, COLORS } from '../../card.js';
import { commandStringsIn } from '../../i18n/commands.js';
import { t } from '../../i18n/index.js';
import type { StoryPack } from '../../story/types.js';
import type { Command } from '../command.js';
import { subcommandsOf } from '../options.js';
import { cardPanel, layoutMessage, type LayoutMessage } from './layout.js';

/**
 * One line per subcommand, straight from the definitions, so help can't drift from what is registered:
 * names and descriptions as Discord shows them to a member in `locale`.
 */
function usage(command: Command, pack: StoryPack, locale: string | undefined): string {
  const definition = command.definition(pack);
  const subs = subcommandsOf(definition);
  const name = commandStringsIn(locale, definition.name)?.name ?? definition.name;
  const lines =
    subs.length > 0
      ? subs.map((s) => {
          const strings = commandStringsIn(locale, `${definition.name}.${s.name}`);
          return `\`/${name} ${strings?.name ?? s.name}\` — ${strings?.description ?? s.description}`;
        })
      : [`\`/${name}\` — ${commandStringsIn(locale, definition.name)?.description ?? definition.description}`];
  const examples = command.examples.map((e) => t(locale, 'help.example', { example: `\`${e}\`` })).join('  ');
  return [...lines, examples].filter(Boolean).join('\n');
}

export function renderHelp(commands: readonly Command[], pack: StoryPack, locale?: string): Card {
  return {
    title: t(locale, 'help.title'),
    description: clip(`${t(locale, 'help.about', { title: pack.story.title })}\n⚠️ ${pack.story.disclaimer}`, 4096),
    fields: commands.map((c) => ({ name: `/${commandStringsIn(locale, c.name)?.name ?? c.name}`, value: clip(usage(c, pack, locale), 1024) })),
    footer: t(locale, 'help.footer'),
    color: COLORS.help,
  };
}

export const helpMessage = (commands: readonly Command[], pack: StoryPack, locale?: string): LayoutMessage => layoutMessage([cardPanel(renderHelp(commands, pack, locale))]);
