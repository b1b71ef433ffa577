import { ButtonBuilder, ButtonStyle, ContainerBuilder, MediaGalleryBuilder, SectionBuilder, SeparatorBuilder, TextDisplayBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ApiError, flattenErrors, type Json } from '../loopback/util.js';
import { FLAG_COMPONENTS_V2, validateMessage } from '../loopback/validate.js';
import { textDisplays } from '../loopback/validate-v2.js';

const V2 = FLAG_COMPONENTS_V2;
const text = (content: string): Json => ({ type: 10, content });
const button = (id: string): Json => ({ type: 2, style: 1, label: 'Go', custom_id: id });
const container = (...components: Json[]): Json => ({ type: 17, accent_color: 0x5865f2, components });

/** Validates a new message with the body's own flags (V2 unless it says otherwise). */
function send(body: Json): void {
  const flags = typeof body.flags === 'number' ? body.flags : V2;
  validateMessage({ flags, ...body }, { content: body.content, embeds: body.embeds, components: body.components, attachments: 0, flags });
}

/** The flattened `path[CODE]` lines of the 50035 the call throws. */
function errorsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    expect(error.status).toBe(400);
    if (error.code !== 50035) return [`${error.code}`];
    return flattenErrors(error.errors ?? {}).map((line) => line.replace(/: .*$/, ''));
  }
  throw new Error('expected the payload to be refused');
}

describe('loopback: Components V2 messages', () => {
  it('accepts what discord.js builders make: a container with text, a section with a button, a separator, a gallery and a row', () => {
    const layout = new ContainerBuilder()
      .setAccentColor(0xeb459e)
      .addTextDisplayComponents(new TextDisplayBuilder().setContent('## Title'))
      .addSeparatorComponents(new SeparatorBuilder())
      .addSectionComponents(new SectionBuilder().addTextDisplayComponents(new TextDisplayBuilder().setContent('body')).setButtonAccessory(new ButtonBuilder().setCustomId('a:b').setLabel('Open').setStyle(ButtonStyle.Primary)))
      .addMediaGalleryComponents(new MediaGalleryBuilder().addItems({ media: { url: 'https://example.com/a.png' } }))
      .addActionRowComponents((row) => row.addComponents(new ButtonBuilder().setCustomId('a:c').setLabel('Next').setStyle(ButtonStyle.Secondary)));
    expect(() => send({ components: [layout.toJSON() as unknown as Json] })).not.toThrow();
  });

  it('takes an attachment:// media item only when the message carries a file of that name', () => {
    const gallery = (url: string): Json => container(text('chart'), { type: 12, items: [{ media: { url }, description: 'alt' }] });
    const withFiles = (names: string[], components: Json[]) => () => validateMessage({ flags: V2, components }, { components, attachments: names.length, attachmentNames: names, flags: V2 });
    expect(() => withFiles(['chart.png'], [gallery('attachment://chart.png')])()).not.toThrow();
    expect(errorsOf(withFiles([], [gallery('attachment://chart.png')]))).toEqual(['components[0].components[1].items[0].media.url[UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND]']);
    expect(errorsOf(withFiles(['other.png'], [{ type: 13, file: { url: 'attachment://chart.png' } }]))).toEqual(['components[0].file.url[UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND]']);
  });

  it('refuses content, embeds, a poll and stickers beside the flag', () => {
    const components = [text('hi')];
    expect(errorsOf(() => send({ components, content: 'hello' }))).toEqual(['content[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]']);
    expect(errorsOf(() => send({ components, embeds: [{ title: 'x' }] }))).toEqual(['embeds[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]']);
    expect(errorsOf(() => send({ components, poll: { question: { text: 'q' }, answers: [] } }))).toEqual(['poll[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]']);
    expect(errorsOf(() => send({ components, sticker_ids: ['1'] }))).toEqual(['sticker_ids[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]']);
    expect(() => send({ components, content: '', embeds: [] })).not.toThrow();
  });

  it('counts nested components towards 40: 40 pass, 41 do not', () => {
    // A container (1) holding 13 sections of text + button (3 each) = 40.
    const section = (i: number): Json => ({ type: 9, components: [text(`t${i}`)], accessory: button(`b:${i}`) });
    const forty = container(...Array.from({ length: 13 }, (_, i) => section(i)));
    expect(() => send({ components: [forty] })).not.toThrow();
    expect(errorsOf(() => send({ components: [forty, { type: 14 }] }))).toEqual(['components[COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED]']);
  });

  it('holds all Text Displays together to 4,000 characters', () => {
    const half = 'x'.repeat(2000);
    expect(() => send({ components: [container(text(half), text(half))] })).not.toThrow();
    expect(errorsOf(() => send({ components: [container(text(half), text(`${half}y`))] }))).toEqual(['components[MAX_TEXT_DISPLAY_LENGTH_EXCEEDED]']);
    expect(errorsOf(() => send({ components: [text('')] }))).toEqual(['components[0].content[BASE_TYPE_REQUIRED]']);
  });

  it('puts each kind of component only where Discord allows it', () => {
    expect(errorsOf(() => send({ components: [button('x')] }))).toEqual(['components[0].type[UNION_TYPE_CHOICES]']);
    expect(errorsOf(() => send({ components: [container(container(text('a')))] }))).toEqual(['components[0].components[0].type[UNION_TYPE_CHOICES]']);
    expect(errorsOf(() => send({ components: [{ type: 9, components: [text('a')] }] }))).toEqual(['components[0].accessory[BASE_TYPE_REQUIRED]']);
    const fourTexts = { type: 9, components: [text('a'), text('b'), text('c'), text('d')], accessory: button('x') };
    expect(errorsOf(() => send({ components: [fourTexts] }))).toEqual(['components[0].components[BASE_TYPE_BAD_LENGTH]']);
    const selectAccessory = { type: 9, components: [text('a')], accessory: { type: 3, custom_id: 's', options: [{ label: 'a', value: 'a' }] } };
    expect(errorsOf(() => send({ components: [selectAccessory] }))).toEqual(['components[0].accessory.type[UNION_TYPE_CHOICES]']);
    expect(errorsOf(() => send({ components: [{ type: 12, items: [] }] }))).toEqual(['components[0].items[BASE_TYPE_BAD_LENGTH]']);
    const eleven = Array.from({ length: 11 }, () => ({ media: { url: 'https://example.com/a.png' } }));
    expect(errorsOf(() => send({ components: [{ type: 12, items: eleven }] }))).toEqual(['components[0].items[BASE_TYPE_BAD_LENGTH]']);
    expect(errorsOf(() => send({ components: [container()] }))).toEqual(['components[0].components[BASE_TYPE_BAD_LENGTH]']);
  });

  it('keeps custom_ids unique across sections and rows, and refuses V2 layouts without the flag', () => {
    const twice = container({ type: 9, components: [text('a')], accessory: button('same') }, { type: 1, components: [button('same')] });
    expect(errorsOf(() => send({ components: [twice] }))).toEqual(['components[0].components[1].components[0].custom_id[COMPONENT_CUSTOM_ID_DUPLICATED]']);
    expect(errorsOf(() => send({ flags: 0, components: [container(text('a'))] }))).toEqual(['components[0].type[UNION_TYPE_CHOICES]']);
    expect(errorsOf(() => send({ components: [] }))).toEqual(['50006']);
  });

  it('never lets an edit remove the flag, and upgrades a message only when its content and embeds are cleared', () => {
    const components = [text('a')];
    const edit = (body: Json, previous: { content: string; embeds: Json[]; flags: number }) => () =>
      validateMessage(body, {
        content: body.content ?? previous.content,
        embeds: body.embeds ?? previous.embeds,
        components: body.components,
        attachments: 0,
        flags: typeof body.flags === 'number' ? body.flags : previous.flags,
        previousFlags: previous.flags,
      });
    const v2Message = { content: '', embeds: [], flags: V2 };
    expect(errorsOf(edit({ flags: 0, components: [{ type: 1, components: [button('x')] }] }, v2Message))).toContain('flags[MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG]');
    expect(() => edit({ components }, v2Message)()).not.toThrow();
    const legacy = { content: 'old', embeds: [{ title: 'old' }], flags: 0 };
    expect(errorsOf(edit({ flags: V2, components }, legacy))).toEqual(['content[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]', 'embeds[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]']);
    expect(() => edit({ flags: V2, components, content: '', embeds: [] }, legacy)()).not.toThrow();
  });

  it('reads a message as a member does: every Text Display in order, nested ones included', () => {
    expect(textDisplays([container(text('a'), { type: 9, components: [text('b')], accessory: button('x') }), text('c')])).toEqual(['a', 'b', 'c']);
  });
});
