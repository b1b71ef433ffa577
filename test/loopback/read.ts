/**
 * Reading a message as a member sees it, whether its text is in `content`, embeds or Components V2
 * Text Displays: journeys assert on what is shown, not on which layout carries it.
 */
import type { APIMessage } from 'discord.js';
import { textDisplays } from './validate-v2.js';
import { isRecord, records } from './util.js';

type Shown = Pick<APIMessage, 'content' | 'components' | 'embeds'>;

/** Every piece of text in the message, in reading order, one per line. */
export function textOf(m: Shown): string {
  const embeds = m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? '']);
  return [m.content, ...textDisplays(m.components), ...embeds].filter((t) => t !== '').join('\n');
}

/** The message's title: its first Markdown heading (`## …`), or its first embed's title. */
export function titleOf(m: Shown): string {
  const heading = textDisplays(m.components)
    .flatMap((t) => t.split('\n'))
    .find((line) => /^#{1,3} /.test(line));
  return heading ? heading.replace(/^#{1,3} /, '') : (m.embeds[0]?.title ?? '');
}

/** The small print (`-# …` lines), joined by newlines, or the first embed's footer. */
export function smallPrintOf(m: Shown): string {
  const lines = textDisplays(m.components)
    .flatMap((t) => t.split('\n'))
    .filter((line) => line.startsWith('-# '))
    .map((line) => line.slice(3));
  return lines.length > 0 ? lines.join('\n') : (m.embeds[0]?.footer?.text ?? '');
}

/** The accent colour of each container, top to bottom. */
export function accentsOf(m: Shown): Array<number | null> {
  return records(m.components)
    .filter((c) => c.type === 17)
    .map((c) => (typeof c.accent_color === 'number' ? c.accent_color : null));
}

/** Every interactive component (buttons, menus), wherever it sits: rows, containers, section accessories. */
export function controlsOf(m: Shown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (list: unknown): void => {
    for (const c of records(list)) {
      if (typeof c.custom_id === 'string' || typeof c.url === 'string') out.push(c);
      if (isRecord(c.accessory)) walk([c.accessory]);
      walk(c.components);
    }
  };
  walk(m.components);
  return out;
}

/** The named parts of a V2 message: Text Displays that open with a bold name on a line of its own. */
export function fieldsOf(m: Shown): Array<{ name: string; value: string }> {
  return textDisplays(m.components).flatMap((t) => {
    const match = /^\*\*(.+?)\*\*\n([\s\S]*)$/.exec(t);
    return match ? [{ name: match[1]!, value: match[2]! }] : [];
  });
}
