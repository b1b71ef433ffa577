import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { type Block, cardPanel, fitTexts, layoutMessage, separator, text } from '../../src/discord/messages/layout.js';
import { checkedPayload } from '../helpers/v2-payload.js';
import { textDisplays } from '../loopback/validate-v2.js';

const button = (id: string) => new ButtonBuilder().setCustomId(id).setLabel(id).setStyle(ButtonStyle.Primary);

describe('Components V2 layout', () => {
  it('lays a card out as a container: heading, text, one text per field, small print, in its accent', () => {
    const message = layoutMessage([cardPanel({ title: 'T', description: 'D', fields: [{ name: 'A', value: 'a' }], footer: 'F\nG', color: 0x123456 })]);
    const [container] = message.components.map((c) => c.toJSON());
    expect(container).toMatchObject({ type: 17, accent_color: 0x123456 });
    expect(textDisplays([container])).toEqual(['## T', 'D', '**A**\na', '-# F\n-# G']);
    expect(message.allowedMentions).toEqual({ parse: [] });
    expect(checkedPayload(message)).toEqual({ components: 7, text: 21 });
  });

  it('clips only the longest texts, to one common length, when the message would pass 4,000 characters', () => {
    expect(fitTexts([10, 20], 4000)).toBe(Infinity);
    expect(fitTexts([100, 3000, 3000], 4000)).toBe(1950);
    const message = layoutMessage([text('## short heading'), text('x '.repeat(2500)), text('y '.repeat(2500))]);
    const shown = textDisplays(message.components.map((c) => c.toJSON()));
    expect(shown[0]).toBe('## short heading');
    expect(shown.reduce((n, t) => n + t.length, 0)).toBeLessThanOrEqual(4000);
    expect(shown[1]?.endsWith('…')).toBe(true);
    expect(checkedPayload(message).text).toBeLessThanOrEqual(4000);
  });

  it('refuses to build more than 40 components rather than send what Discord would refuse', () => {
    const section = (i: number): Block => ({ kind: 'section', texts: [`t${i}`], button: button(`b${i}`) });
    const thirteen = Array.from({ length: 13 }, (_, i) => section(i));
    expect(checkedPayload(layoutMessage([{ kind: 'panel', blocks: thirteen }])).components).toBe(40);
    expect(() => layoutMessage([{ kind: 'panel', blocks: [...thirteen, separator()] }])).toThrow(/40 components; this one has 41/);
    const row: Block = { kind: 'row', row: new ActionRowBuilder<ButtonBuilder>().addComponents(button('x'), button('y')) };
    expect(checkedPayload(layoutMessage([text('a'), row])).components).toBe(4);
  });
});
