import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../pictures/chromium.js';
import { sendLine, Tab } from '../playground/browser.js';
import { startPlayground, type RunningPlayground } from '../playground/index.js';

const chromium = findChromium();
const DAY = 86_400_000;

/** Page helpers, as expressions run in the page. */
const shown = "document.getElementById('messages').innerText";
/** Clicks the last enabled button with `label`, among those whose custom_id starts with `idPrefix` (the reading prompt also has a "Folk hero"). */
const clickButton = (label: string, idPrefix = ''): string =>
  `(() => { const b = [...document.querySelectorAll('#messages .btn[data-custom-id${idPrefix ? `^=${JSON.stringify(idPrefix)}` : ''}]:not(.disabled)')].filter((x) => x.textContent.includes(${JSON.stringify(label)})).at(-1); if (!b) return false; b.click(); return true; })()`;
const beMember = (key: string): string => `(() => { const s = document.getElementById('member'); s.value = ${JSON.stringify(key)}; s.dispatchEvent(new Event('change')); return true; })()`;
const openChannel = (name: string): string => `(() => { const b = [...document.querySelectorAll('[data-channel]')].find((x) => x.textContent.endsWith(${JSON.stringify(name)})); b.click(); return true; })()`;
const suggestions = "[...document.querySelectorAll('#suggest .s b')].map((b) => b.textContent)";

let p: RunningPlayground;
let tab: Tab;

async function run(line: string): Promise<void> {
  expect(await sendLine(tab, line)).toBe('sent');
}

/** Opens #`name` from the channel list and waits for its title. */
async function open(name: string): Promise<void> {
  await tab.eval(openChannel(name));
  await tab.waitFor(`#${name}`, `document.getElementById('top').textContent === ${JSON.stringify(`# ${name}`)}`);
}

async function fastForward(ms: number): Promise<void> {
  const before = await tab.eval<number>('window.playground.now');
  await tab.eval(`document.querySelector('[data-forward="${ms}"]').click(), true`);
  await tab.waitFor('the clock to move', `window.playground.now >= ${before + ms}`, 30_000);
}

// Skipped without Chromium; test/helpers/chromium-notice.ts says so once per run, and how to install it.
describe.skipIf(!chromium)('npm run playground, in headless Chromium', () => {
  beforeAll(async () => {
    // 08:00 in Berlin: the digest set below for 09:00 is an hour away.
    p = await startPlayground({ start: Date.parse('2026-06-10T06:00:00Z') });
    tab = await Tab.open(chromium!);
    await tab.goto(p.url);
    await tab.waitFor('the page to load', "document.body.dataset.ready === '1'");
  }, 60_000);
  afterAll(async () => {
    await tab?.close();
    await p?.close();
  });

  it('offers the commands on "/", and a section from the bot\'s autocomplete', async () => {
    await tab.eval("document.getElementById('line').focus(), true");
    await tab.type('/');
    const offered = await tab.waitFor<string[]>('the commands', `${suggestions}.length >= 5 && ${suggestions}`);
    expect(offered).toEqual(expect.arrayContaining(['/story', '/take', '/poll', '/discuss', '/help']));
    expect(offered).not.toContain('/digest'); // Manage Server only: Discord does not offer it to a plain member
    await tab.type('story section section:what');
    expect(await tab.waitFor<string[]>('autocompleted sections', `${suggestions}.includes('2. What reportedly happened') && ${suggestions}`)).toEqual(['2. What reportedly happened']);
    await tab.press('Tab');
    expect(await tab.eval<string>("document.getElementById('line').value")).toBe('/story section section:what-happened ');
    await tab.eval("document.getElementById('line').value = '', document.getElementById('line').dispatchEvent(new Event('input')), true");
  });

  it('reads the story section by section with the buttons', async () => {
    await run('/story section section:intro');
    await tab.waitFor('the first section', `${shown}.includes('1. The claim')`);
    expect(await tab.eval(clickButton('Next'))).toBe(true);
    await tab.waitFor('the second section', `${shown}.includes('2. What reportedly happened')`);
    expect(await tab.eval(clickButton('Next'))).toBe(true);
    await tab.waitFor('the third section', `${shown}.includes('3. Why the author thinks it matters')`);
  });

  it('starts the headline poll; two members vote, each confirmation seen only by its voter', async () => {
    await run('/poll start');
    // Its vote buttons, not the question: the private "where do you stand?" prompt asks it too.
    const pollButtons = `document.querySelectorAll('#messages .btn[data-custom-id^="poll:vote:"]').length > 0`;
    await tab.waitFor('the poll', pollButtons);
    expect(await tab.eval(clickButton('Folk hero', 'poll:vote:'))).toBe(true);
    await tab.waitFor("asha's confirmation", "document.querySelectorAll('#messages .only-you').length === 1");
    await tab.eval(beMember('ben'));
    await tab.waitFor('the poll, as ben', pollButtons);
    expect(await tab.eval<number>("document.querySelectorAll('#messages .only-you').length")).toBe(0);
    expect(await tab.eval(clickButton('Villain', 'poll:vote:'))).toBe(true);
    await tab.waitFor("ben's confirmation", "document.querySelectorAll('#messages .only-you').length === 1");
    await tab.eval("document.querySelector('#messages .only-you a').click(), true");
    expect(await tab.eval<number>("document.querySelectorAll('#messages .only-you').length")).toBe(0); // dismissed
  });

  it('fast-forwards past the deadline and shows the results', async () => {
    expect(await tab.eval<string>(shown)).not.toMatch(/Poll closed/);
    await fastForward(DAY);
    // The results post, not just "Poll closed": the poll's own message says that first, on its last edit.
    const results = /Poll closed: .*Folk hero 50% \(1\) · 🦹 Villain 50% \(1\).* — 2 voters/;
    const text = await tab.waitFor<string>('the results', `/Poll closed:/.test(${shown}) && ${shown}`, 15_000);
    expect(text).toMatch(results);
  });

  it('sets a digest as the admin and sees it posted when the clock reaches it', async () => {
    await tab.eval(beMember('dana'));
    await run('/digest set channel:#news time:09:00 timezone:Europe/Berlin');
    await tab.waitFor('the confirmation', `${shown}.includes('Next digest')`);
    await open('news');
    expect(await tab.eval<string>(shown)).not.toMatch(/Day \d/);
    await fastForward(DAY);
    await tab.waitFor('the digest in #news', `/Day \\d/.test(${shown})`, 30_000);
    expect(tab.errors).toEqual([]);
  });

  it('opens a section from the contents menu', async () => {
    await open('general');
    await run('/story sections');
    await tab.waitFor('the menu', "document.querySelectorAll('#messages .select[data-custom-id]').length > 0");
    await tab.eval("[...document.querySelectorAll('#messages .select[data-custom-id]')].at(-1).click(), true");
    await tab.waitFor('the options', "document.querySelectorAll('#menu .o').length > 3");
    await tab.eval("[...document.querySelectorAll('#menu .o')].find((o) => o.textContent.startsWith('4. The fallout')).click(), true");
    await tab.waitFor('the section', "[...document.querySelectorAll('#messages h2')].some((h) => h.textContent === '4. The fallout')");
  });

  it('fills in the /poll new form and starts the poll it describes', async () => {
    await run('/poll new');
    await tab.waitFor('the form', "getComputedStyle(document.getElementById('modal')).display === 'flex' && document.querySelector('#modal [name=question]')");
    await tab.eval(`(() => {
      const set = (name, value) => { document.querySelector('#modal [name=' + name + ']').value = value; };
      set('question', 'Should leaked AI code be published?');
      set('answers', 'Yes, all of it\\nOnly after review\\nNo');
      set('duration', '3d');
      document.querySelector('#modal button[type=submit]').click();
      return true;
    })()`);
    await tab.waitFor('the new poll', `${shown}.includes('Should leaked AI code be published?') && ${shown}.includes('Only after review')`);
    expect(await tab.eval<string>("document.getElementById('error').textContent")).toBe('');
  });

  it('offers each member only their channels and commands', async () => {
    const channels = "[...document.querySelectorAll('[data-channel]')].map((b) => b.textContent)";
    expect(await tab.eval<string[]>(channels)).toEqual(['# general', '# news', '🔒 moderators']);
    await tab.eval(beMember('asha'));
    expect(await tab.waitFor<string[]>("asha's channels", `${channels}.length === 2 && ${channels}`)).toEqual(['# general', '# news']);
    await tab.eval("document.getElementById('line').value = '', document.getElementById('line').focus(), true");
    await tab.type('/d');
    expect(await tab.waitFor<string[]>('the commands asha may use', `${suggestions}.length > 0 && ${suggestions}`)).toEqual(['/discuss']);
    await tab.type('igest set channel:#news time:09:00 timezone:UTC');
    await tab.press('Enter');
    expect(await tab.waitFor<string>('a refusal', "document.getElementById('error').textContent")).toMatch(/\/digest is not offered to asha/);
    await tab.eval(beMember('chen'));
    expect(await tab.waitFor<string[]>("chen's channels", `${channels}.length === 3 && ${channels}`)).toContain('🔒 moderators');
    expect(tab.errors).toEqual([]);
  });

  it('lists the thread /discuss starts under its channel, and opens it', async () => {
    await open('general');
    await run('/discuss topic:take:engineer');
    const thread = await tab.waitFor<string>('the thread', "document.querySelector('.chan.thread')?.textContent");
    expect(thread).toMatch(/^🧵 /);
    await tab.eval("document.querySelector('.chan.thread').click(), true");
    await tab.waitFor('the thread open', `document.getElementById('top').textContent === ${JSON.stringify(thread)}`);
    expect(tab.errors).toEqual([]);
  });

  it("follows /poll list's Open poll link to the poll's message", async () => {
    await open('news');
    await run('/poll list');
    await tab.waitFor('the link', "document.querySelector('#messages .btn[data-url]')");
    await tab.eval("document.querySelector('#messages .btn[data-url]').click(), true");
    const linked = await tab.waitFor<string>('the poll, in its channel', "document.querySelector('#messages .entry.linked')?.innerText");
    expect(await tab.eval<string>("document.getElementById('top').textContent")).toBe('# general');
    expect(linked).toContain('Should leaked AI code be published?');
  });
});
