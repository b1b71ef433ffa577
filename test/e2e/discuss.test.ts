import { describe, expect, it, vi } from 'vitest';
import { loadStoryPack } from '../../src/story/load.js';
import { textOf, titleOf } from '../loopback/index.js';
import { useJourney } from './harness.js';

const pack = loadStoryPack('data');

const j = useJourney({ guilds: [{ channels: [{ name: 'general' }, { name: 'quiet' }] }] });

describe('/discuss', () => {
  it('autocompletes sections and stakeholders', async () => {
    const choices = await j.loop.sendAutocomplete({ name: 'discuss', options: { topic: 'open' }, focused: 'topic' }).autocompleteChoices();
    expect(choices.map((c) => c.value)).toEqual(expect.arrayContaining(['section:fallout-openai', 'take:openai', 'take:open-source']));
    const all = await j.loop.sendAutocomplete({ name: 'discuss', options: { topic: '' }, focused: 'topic' }).autocompleteChoices();
    expect(all).toHaveLength(Math.min(25, pack.story.sections.length + pack.stakeholders.length));
  });

  it('posts the topic publicly and opens a thread on it', async () => {
    const reply = await j.loop.sendCommand({ name: 'discuss', options: { topic: 'take:engineer' } }).waitForReply();
    expect(reply.flags).toBe(1 << 15); // public, laid out with Components V2
    const holder = pack.stakeholders.find((h) => h.id === 'engineer')!;
    expect(titleOf(reply)).toBe(`Let's discuss: ${holder.emoji} ${holder.name}`);
    expect(textOf(reply)).toContain(holder.question);
    await vi.waitFor(() => expect(j.loop.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/messages/${reply.id}/threads`) && r.status < 300)).toBe(true));
  });

  it('says which permission it lacks instead of failing halfway', async () => {
    const quiet = j.loop.guilds[0]!.channelId('quiet');
    j.loop.setChannelForbidden(quiet);
    await vi.waitFor(() => {
      const channel = j.bot.client.channels.cache.get(quiet);
      expect(channel && 'permissionsFor' in channel && channel.permissionsFor(j.bot.client.user!.id)?.has('CreatePublicThreads')).toBe(false);
    });
    const reply = await j.loop.sendCommand({ name: 'discuss', channelId: quiet, options: { topic: 'section:intro' } }).waitForReply();
    expect(reply.flags).toBe(64);
    expect(reply.content).toMatch(/missing Create Public Threads, Send Messages in Threads/);
  });

  it("shows the member's display name inert: no masked link, no bold, no role pill", async () => {
    const member = j.loop.member({ username: '[x](https://evil.example) **big** <@&1>' });
    const reply = await j.loop.sendCommand({ name: 'discuss', member, options: { topic: 'section:intro' } }).waitForReply();
    const started = textOf(reply).split('\n').find((line) => line.includes('evil.example'))!;
    expect(started).toBeDefined();
    expect(started).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/); // a Markdown link Discord would render
    expect(started).not.toMatch(/(?<!\\)\*\*big/);
    expect(started).not.toMatch(/<@&1>/);
    expect(j.loop.pingsOf(reply.id).roles).toEqual([]);
  });

  it('refuses a topic autocomplete never offered', async () => {
    const reply = await j.loop.sendCommand({ name: 'discuss', options: { topic: 'section:nowhere' } }).waitForReply();
    expect(reply.content).toMatch(/There is no topic/);
  });
});
