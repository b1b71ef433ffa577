import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPack, type PackCopy } from '../helpers/pack-copy.js';
import { startPlayground, type RunningPlayground } from '../playground/index.js';

let p: RunningPlayground;
let pack: PackCopy;

const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(new URL(path, p.url), { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** The event stream for `member` in `channel`, read for `ms`. */
async function events(member: string, channel: string, ms = 1_500): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(new URL(`/api/events?member=${member}&channel=${channel}`, p.url), { signal: controller.signal });
  const reader = res.body!.getReader();
  let text = '';
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch {
    // aborted: the time is up
  } finally {
    clearTimeout(timer);
  }
  return text;
}

describe('the playground API (a story pack of your own through STORY_DIR)', () => {
  beforeAll(async () => {
    pack = copyPack();
    pack.edit<{ sections: Array<{ title: string }> }>('story.json', (story) => {
      story.sections[3]!.title = 'A pack of my own';
    });
    p = await startPlayground({ storyDir: pack.dir });
  }, 30_000);
  afterAll(async () => {
    await p?.close();
    pack?.remove();
  });

  it('listens on 127.0.0.1 only and serves the page with nothing from elsewhere', async () => {
    expect(p.server.address()).toMatchObject({ address: '127.0.0.1' });
    const html = await (await fetch(p.url)).text();
    expect(html).toContain("default-src 'none'; script-src 'self'");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it("autocompletes and answers from the pack in STORY_DIR, to the member who asked only when it's private", async () => {
    const general = p.world.channel('general').id;
    const { json } = await post('/api/suggest', { member: 'asha', channel: general, line: '/story section section:' });
    expect(json.suggestions).toContainEqual({ label: '4. A pack of my own', line: '/story section section:fallout ' });
    expect((await post('/api/run', { member: 'asha', channel: general, line: '/story section section:fallout private:true' })).json).toEqual({ ok: true });
    await p.world.j.loop.waitForMessage((m) => m.channel_id === general);
    expect(await events('asha', general)).toMatch(/A pack of my own[\s\S]*Only you can see this/);
    expect(await events('ben', general)).not.toContain('A pack of my own');
  });

  it('says what is wrong with a command line instead of sending it', async () => {
    const general = p.world.channel('general').id;
    expect(await post('/api/run', { member: 'asha', channel: general, line: '/nope' })).toEqual({ status: 400, json: { error: 'There is no command /nope' } });
    expect((await post('/api/run', { member: 'asha', channel: general, line: '/story section sectoin:fallout' })).json.error).toBe('/story section: "sectoin:fallout" is not one of its options (section, private); type name:value');
    expect((await post('/api/run', { member: 'asha', channel: general, line: '/story section' })).json.error).toMatch(/missing required option\(s\) section/);
    expect((await post('/api/clock', { forward: -5 })).status).toBe(400);
  });
});
