import {
  type ActionRowBuilder,
  type ButtonBuilder,
  ComponentType,
  ContainerBuilder,
  MediaGalleryBuilder,
  MediaGalleryItemBuilder,
  MessageFlags,
  SectionBuilder,
  SeparatorBuilder,
  SeparatorSpacingSize,
  type StringSelectMenuBuilder,
  TextDisplayBuilder,
} from 'discord.js';
import { type Card, clip } from '../../card.js';

/**
 * Components V2 messages (flag IS_COMPONENTS_V2): all text lives in Text Displays, grouped in
 * Containers with an accent colour. Builders describe a message as panels of blocks; `layoutMessage`
 * fits the text into Discord's 4,000 characters and checks the 40-component limit before building.
 */
export const MAX_COMPONENTS = 40;
export const MAX_TEXT = 4000;

type Row = ActionRowBuilder<ButtonBuilder> | ActionRowBuilder<StringSelectMenuBuilder>;

export type Block =
  | { kind: 'text'; content: string }
  | { kind: 'separator'; large?: boolean }
  /** 1–3 texts with a button beside them. */
  | { kind: 'section'; texts: string[]; button: ButtonBuilder }
  | { kind: 'row'; row: Row }
  /** An image the message uploads (`attachment://<file>`), shown in a Media Gallery with its alt text. */
  | { kind: 'image'; file: string; alt: string };

/** A Container: blocks under one accent colour. */
export interface Panel {
  kind: 'panel';
  accent?: number | undefined;
  blocks: Block[];
}

export type TopLevel = ContainerBuilder | TextDisplayBuilder | SectionBuilder | SeparatorBuilder | MediaGalleryBuilder | Row;

export interface LayoutMessage {
  components: TopLevel[];
  flags: MessageFlags.IsComponentsV2;
  /** Mentions in Text Displays ping as content does: none unless a builder names them. */
  allowedMentions: { parse: [] };
}

export const text = (content: string): Block => ({ kind: 'text', content });
export const separator = (large = false): Block => ({ kind: 'separator', large });
/** Discord's small grey text, one `-#` per line (it applies to a single line). */
export const smallPrint = (content: string): Block =>
  text(
    content
      .split('\n')
      .map((line) => `-# ${line}`)
      .join('\n'),
  );

/** A Card (the domain's view model) as a panel: heading, description, one text per field, small print. */
export function cardPanel(card: Card, extra: Block[] = []): Panel {
  const blocks: Block[] = [text(`## ${card.title}`)];
  if (card.description) blocks.push(text(card.description));
  const fields = card.fields ?? [];
  if (fields.length > 0) blocks.push(separator(), ...fields.map((f) => text(`**${f.name}**\n${f.value}`)));
  blocks.push(...extra);
  if (card.footer) blocks.push(separator(), smallPrint(card.footer));
  return { kind: 'panel', accent: card.color, blocks };
}

/** Every text of the message, in order, to measure and fit. */
function texts(items: ReadonlyArray<Panel | Block>): Array<{ get: () => string; set: (s: string) => void }> {
  const out: Array<{ get: () => string; set: (s: string) => void }> = [];
  const visit = (block: Block): void => {
    if (block.kind === 'text') out.push({ get: () => block.content, set: (s) => (block.content = s) });
    if (block.kind === 'section') block.texts.forEach((_, i) => out.push({ get: () => block.texts[i] ?? '', set: (s) => (block.texts[i] = s) }));
  };
  for (const item of items) {
    if (item.kind === 'panel') item.blocks.forEach(visit);
    else visit(item);
  }
  return out;
}

/**
 * Keeps all texts together within `max` characters: the longest are clipped to one common length
 * (as little as needed), so headings and small print stay whole and long passages share the cut.
 */
export function fitTexts(lengths: readonly number[], max: number): number {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= max) return Infinity;
  const sorted = [...lengths].sort((a, b) => a - b);
  let below = 0;
  for (let i = 0; i < sorted.length; i++) {
    const rest = sorted.length - i;
    const cap = Math.floor((max - below) / rest);
    if (cap < (sorted[i] ?? 0)) return Math.max(cap, 1);
    below += sorted[i] ?? 0;
  }
  return Infinity;
}

const length = (s: string): number => [...s].length;

function buildBlock(block: Block): TextDisplayBuilder | SeparatorBuilder | SectionBuilder | MediaGalleryBuilder | Row {
  switch (block.kind) {
    case 'text':
      return new TextDisplayBuilder().setContent(block.content);
    case 'separator':
      return new SeparatorBuilder().setDivider(true).setSpacing(block.large ? SeparatorSpacingSize.Large : SeparatorSpacingSize.Small);
    case 'section':
      return new SectionBuilder().addTextDisplayComponents(block.texts.map((t) => new TextDisplayBuilder().setContent(t))).setButtonAccessory(block.button);
    case 'row':
      return block.row;
    case 'image':
      return new MediaGalleryBuilder().addItems(new MediaGalleryItemBuilder().setURL(`attachment://${block.file}`).setDescription(block.alt.slice(0, 1024)));
  }
}

function addTo(container: ContainerBuilder, built: ReturnType<typeof buildBlock>): void {
  if (built instanceof TextDisplayBuilder) container.addTextDisplayComponents(built);
  else if (built instanceof SeparatorBuilder) container.addSeparatorComponents(built);
  else if (built instanceof SectionBuilder) container.addSectionComponents(built);
  else if (built instanceof MediaGalleryBuilder) container.addMediaGalleryComponents(built);
  else container.addActionRowComponents(built.toJSON());
}

/** Components a block adds to the message's count of 40 (nested ones included). */
function countOf(block: Block): number {
  if (block.kind === 'section') return 2 + block.texts.length;
  if (block.kind === 'row') return 1 + block.row.components.length;
  return 1;
}

export function componentCount(items: ReadonlyArray<Panel | Block>): number {
  return items.reduce((n, item) => n + (item.kind === 'panel' ? 1 + item.blocks.reduce((m, b) => m + countOf(b), 0) : countOf(item)), 0);
}

/** Builds the message. Throws if the layout has more than 40 components: a builder's bug, not the member's. */
export function layoutMessage(items: Array<Panel | Block>): LayoutMessage {
  const count = componentCount(items);
  if (count > MAX_COMPONENTS) throw new RangeError(`a Components V2 message may hold ${MAX_COMPONENTS} components; this one has ${count}`);
  const all = texts(items);
  const cap = fitTexts(
    all.map((t) => length(t.get())),
    MAX_TEXT,
  );
  for (const t of all) if (length(t.get()) > cap) t.set(clip(t.get(), cap));
  const components = items.map((item) => {
    if (item.kind !== 'panel') return buildBlock(item);
    const container = new ContainerBuilder();
    if (item.accent !== undefined) container.setAccentColor(item.accent);
    for (const block of item.blocks) addTo(container, buildBlock(block));
    return container;
  });
  return { components, flags: MessageFlags.IsComponentsV2, allowedMentions: { parse: [] } };
}

/** What a member reads in a message: its content and every Text Display, nested ones included, in order. */
export function messageTexts(message: { content: string; components: ReadonlyArray<{ toJSON(): unknown }> }): string[] {
  const out = message.content ? [message.content] : [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const c = node as { type?: unknown; content?: unknown; components?: unknown };
    if (c.type === ComponentType.TextDisplay && typeof c.content === 'string') out.push(c.content);
    if (Array.isArray(c.components)) c.components.forEach(walk);
  };
  message.components.forEach((c) => walk(c.toJSON()));
  return out;
}
