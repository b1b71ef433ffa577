import { describe, expect, it } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { accentsOf, controlsOf, fieldsOf, smallPrintOf, textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';
import { COMPARED_FIELDS, comparedLabels, comparedLabelsToday, ENGLISH, knownOnly, viewLabels, viewLabelsToday } from '../helpers/take-fields.js';

const pack = loadStoryPack('data');
const EPHEMERAL = 64;
const V2 = 1 << 15;

const j = useJourney();

const buttonIds = (message: Parameters<typeof controlsOf>[0]) => controlsOf(message) as Array<{ custom_id?: string; disabled?: boolean; label?: string }>;

describe('/story', () => {
  it('summary answers publicly with the short summary and the disclaimer', async () => {
    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'summary' }).waitForReply();
    expect(reply.flags).toBe(V2);
    expect(titleOf(reply)).toBe(pack.story.title);
    expect(textOf(reply)).toContain(pack.story.summary.short);
    expect(smallPrintOf(reply)).toContain(pack.story.disclaimer);
    expect(reply.embeds).toEqual([]);
  });

  it("summary's Start reading opens the first section in the caller's own message", async () => {
    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'summary' }).waitForReply();
    const start = buttonIds(reply).find((b) => b.label === 'Start reading ▶')!;
    const page = await j.loop.clickButton({ message: reply, customId: start.custom_id! }).waitForReply();
    expect(page.id).toBe(reply.id);
    expect(titleOf(page)).toBe(`1. ${pack.story.sections[0]!.title}`);
  });

  it('summary length:detailed private:true answers only the caller, with the contents', async () => {
    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'summary', options: { length: 'detailed', private: true } }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL | V2);
    expect(textOf(reply)).toContain(pack.story.summary.detailed);
    expect(fieldsOf(reply).map((f) => f.name)).toEqual(['Sections']);
  });

  it('section autocompletes by title and opens with Previous disabled on the first section', async () => {
    const choices = await j.loop.sendAutocomplete({ name: 'story', subcommand: 'section', options: { section: 'openai' }, focused: 'section' }).autocompleteChoices();
    expect(choices).toEqual([{ name: expect.stringContaining('For OpenAI'), value: 'fallout-openai' }]);
    const all = await j.loop.sendAutocomplete({ name: 'story', subcommand: 'section', options: { section: '' }, focused: 'section' }).autocompleteChoices();
    expect(all.map((c) => c.value)).toEqual(pack.story.sections.map((s) => s.id));

    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'intro' } }).waitForReply();
    expect(textOf(reply)).toContain(pack.story.sections[0]!.summary);
    const [prev, next] = buttonIds(reply);
    expect(prev?.disabled).toBe(true);
    expect(next?.disabled).toBe(false);
  });

  it('Next pages through every section in order, ending with Next disabled', async () => {
    let message = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'intro' } }).waitForReply();
    const seen = [titleOf(message)];
    for (;;) {
      const next = buttonIds(message)[1]!;
      if (next.disabled) break;
      message = await j.loop.clickButton({ message, customId: next.custom_id! }).waitForReply();
      seen.push(titleOf(message));
    }
    expect(seen).toEqual(pack.story.sections.map((s, i) => `${i + 1}. ${s.title}`));
    const prev = buttonIds(message)[0]!;
    const back = await j.loop.clickButton({ message, customId: prev.custom_id! }).waitForReply();
    expect(titleOf(back)).toBe(`${pack.story.sections.length - 1}. ${pack.story.sections.at(-2)!.title}`);
  });

  it("someone else's click shows them the page privately and leaves the shared message alone", async () => {
    const message = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'intro' } }).waitForReply();
    const other = j.loop.member({ username: 'someone-else' });
    const reply = await j.loop.clickButton({ message, customId: buttonIds(message)[1]!.custom_id!, member: other }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL | V2);
    expect(titleOf(reply)).toBe(`2. ${pack.story.sections[1]!.title}`);
    expect(titleOf(j.loop.message(message.id)!)).toBe(`1. ${pack.story.sections[0]!.title}`);
  });

  it('an unknown section typed past autocomplete gets a private explanation', async () => {
    const reply = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'made-up' } }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/There is no section "made-up"/);
  });

  it('sections lists the contents and the menu opens a section privately', async () => {
    const message = await j.loop.sendCommand({ name: 'story', subcommand: 'sections' }).waitForReply();
    expect(textOf(message)).toContain(pack.story.sections[4]!.title);
    const menu = buttonIds(message)[0]!;
    const reply = await j.loop.selectMenu({ message, customId: menu.custom_id!, values: ['fallout-engineer'] }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL | V2);
    expect(textOf(reply)).toContain('Rohan is either a folk hero or the dumbest man alive.');
  });

  it('a page button on a message from before Components V2 (plain content) lays that message out anew', async () => {
    // Any private reply with only content stands in for a page posted by an older tamasha.
    const old = await j.loop.sendCommand({ name: 'ghost', force: true }).waitForReply();
    expect(old.flags).toBe(EPHEMERAL);
    const page = await j.loop.clickButton({ message: old, customId: `story:page:${pack.version}:intro:0`, force: true }).waitForReply();
    expect(page.id).toBe(old.id);
    expect(page.flags).toBe(EPHEMERAL | V2);
    expect(page.content).toBe('');
    expect(titleOf(page)).toBe(`1. ${pack.story.sections[0]!.title}`);
  });

  it('a button from an older story version or with a tampered id is refused privately, and the bot stays up', async () => {
    const message = await j.loop.sendCommand({ name: 'story', subcommand: 'section', options: { section: 'intro' } }).waitForReply();
    const old = await j.loop.clickButton({ message, customId: 'story:page:00000000:what-happened:0', force: true }).waitForReply();
    expect(old.flags).toBe(EPHEMERAL);
    expect(old.content).toMatch(/older version of the story/);
    const badPage = await j.loop.clickButton({ message, customId: `story:page:${pack.version}:intro:7`, force: true }).waitForReply();
    expect(badPage.content).toMatch(/page does not exist/);
    const junk = await j.loop.clickButton({ message, customId: 'story:page:<x>', force: true }).waitForReply();
    expect(junk.content).toMatch(/no longer active/);
    const unknownScope = await j.loop.clickButton({ message, customId: 'nobody:knows', force: true }).waitForReply();
    expect(unknownScope.content).toMatch(/no longer active/);
    expect(j.logs.some((l) => l.msg === 'unknown or stale custom_id' && l.customId === 'nobody:knows' && l.guildId === j.guildId && typeof l.interactionId === 'string')).toBe(true);
    const still = await j.loop.sendCommand({ name: 'story', subcommand: 'summary' }).waitForReply();
    expect(titleOf(still)).toBe(pack.story.title);
  });
});

describe('/take', () => {
  it('view shows every part of a take, quoting the article exactly', async () => {
    const holder = pack.stakeholders.find((h) => h.id === 'engineer')!;
    const reply = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: 'engineer' } }).waitForReply();
    expect(titleOf(reply)).toBe(`${holder.emoji} ${holder.name}`);
    expect(textOf(reply)).toContain(holder.position);
    const fields = fieldsOf(reply);
    expect(fields.map((f) => f.name)).toEqual(viewLabels());
    expect(knownOnly(fields.map((f) => f.name))).toEqual(viewLabelsToday());
    expect(fields.find((f) => f.name === ENGLISH.quotes)?.value).toContain(holder.quotes[0]!.text);
    const other = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: 'openai' } }).waitForReply();
    expect(accentsOf(other)).toHaveLength(1);
    expect(accentsOf(other)).not.toEqual(accentsOf(reply));
  });

  it('compare puts two stakeholders side by side and refuses the same one twice', async () => {
    const reply = await j.loop.sendCommand({ name: 'take', subcommand: 'compare', options: { a: 'xai', b: 'openai' } }).waitForReply();
    const [xai, openai] = ['xai', 'openai'].map((id) => pack.stakeholders.find((h) => h.id === id)!);
    // One container per stakeholder, each in its own accent, the same fields in the same order.
    const accents = accentsOf(reply);
    expect(accents).toHaveLength(2);
    expect(new Set(accents).size).toBe(2);
    expect(fieldsOf(reply).map((f) => f.name)).toEqual([...comparedLabels(), ...comparedLabels()]);
    expect(knownOnly(fieldsOf(reply).map((f) => f.name))).toEqual([...comparedLabelsToday(), ...comparedLabelsToday()]);
    expect(fieldsOf(reply).map((f) => f.value)).toEqual([xai!, openai!].flatMap((h) => COMPARED_FIELDS.map((field) => h[field])));
    const same = await j.loop.sendCommand({ name: 'take', subcommand: 'compare', options: { a: 'xai', b: 'xai' } }).waitForReply();
    expect(same.flags).toBe(EPHEMERAL);
    expect(same.content).toMatch(/two different stakeholders/);
  });

  it('a stakeholder value outside the registered choices gets a private answer', async () => {
    const reply = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: 'x'.repeat(100) }, force: true }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/no stakeholder/);
  });
});

describe('/help', () => {
  it('lists every command and says the claims are allegations', async () => {
    const reply = await j.loop.sendCommand({ name: 'help' }).waitForReply();
    expect(fieldsOf(reply).map((f) => f.name)).toEqual(j.loop.commands(j.guildId).map((c) => `/${c.name}`));
    expect(textOf(reply)).toMatch(/allegation/i);
  });
});

describe('the router', () => {
  it('answers an unknown command privately', async () => {
    const reply = await j.loop.sendCommand({ name: 'ghost', force: true }).waitForReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/don't know the command \/ghost/);
  });

  it('answers a handler that throws with a private apology and an error id that is in the log', async () => {
    const holder = j.bot.ctx.pack.stakeholders[0]!;
    const quotes = holder.quotes;
    holder.quotes = undefined as unknown as typeof quotes; // a bug in rendering, simulated
    try {
      const reply = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: holder.id } }).waitForReply();
      expect(reply.flags).toBe(EPHEMERAL);
      const incident = /error id `([0-9a-f]{8})`/.exec(reply.content)?.[1];
      expect(incident).toBeDefined();
      const line = j.logs.find((l) => l.incident === incident);
      expect(line).toMatchObject({ msg: 'handler failed', command: 'take', guildId: j.guildId });
      expect(JSON.stringify(line)).toContain('TypeError');
    } finally {
      holder.quotes = quotes;
    }
    const after = await j.loop.sendCommand({ name: 'take', subcommand: 'view', options: { stakeholder: holder.id } }).waitForReply();
    expect(titleOf(after)).toBe(`${holder.emoji} ${holder.name}`);
  });
});
