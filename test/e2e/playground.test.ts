import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../pictures/chromium.js';
import { Tab } from '../playground/browser.js';
import { startPlayground, type RunningPlayground } from '../playground/index.js';

const chromium = findChromium();
const DAY = 86_400_000;

/** Page helpers, as expressions run in the page. */
const shown = "document.getElementById('messages').innerText";
const clickButton = (label: string): string =>
  `(() => { const b = [...document.querySelectorAll('#messages .btn[data-custom-id]:not(.disabled)')].filter((x) => x.textContent.includes(${JSON.stringify(label)})).at(-1); if (!b) return false; b.click(); return true; })()`;
const beMember = (key: string): string => `(() => { const s = document.getElementById('member'); s.value = ${JSON.stringify(key)}; s.dispatchEvent(new Event('change')); return true; })()`;
const openChannel = (name: string): string => `(() => { const b = [...document.querySelectorAll('[data-channel]')].find((x) => x.textContent.endsWith(${JSON.stringify(name)})); b.click(); return true; })()`;
const suggestions = "[...document.querySelectorAll('#suggest .s b')].map((b) => b.textContent)";

let p: RunningPlayground;
let tab: Tab;

async function run(line: string): Promise<void> {
  await tab.eval("document.getElementById('line').focus(), true");
  await tab.type(line);
  await tab.press('Enter');
  const error = await tab.waitFor<string>(`"${line}" to be sent`, "document.getElementById('line').value === '' ? 'sent' : document.getElementById('error').textContent");
  expect(error).toBe('sent');
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
    expect(await tab.waitFor<string[]>('the commands', `${suggestions}.length >= 5 && ${suggestions}`)).toEqual(expect.arrayContaining(['/story', '/poll', '/digest', '/help']));
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
    await tab.waitFor('the poll', `${shown}.includes('folk hero or villain')`);
    expect(await tab.eval(clickButton('Folk hero'))).toBe(true);
    await tab.waitFor("asha's confirmation", "document.querySelectorAll('#messages .only-you').length === 1");
    await tab.eval(beMember('ben'));
    await tab.waitFor('the poll, as ben', `${shown}.includes('folk hero or villain')`);
    expect(await tab.eval<number>("document.querySelectorAll('#messages .only-you').length")).toBe(0);
    expect(await tab.eval(clickButton('Villain'))).toBe(true);
    await tab.waitFor("ben's confirmation", "document.querySelectorAll('#messages .only-you').length === 1");
  });

  it('fast-forwards past the deadline and shows the results', async () => {
    expect(await tab.eval<string>(shown)).not.toMatch(/Poll closed/);
    await fastForward(DAY);
    const text = await tab.waitFor<string>('the results', `/Poll closed/.test(${shown}) && ${shown}`, 30_000);
    expect(text).toMatch(/Poll closed: .*Folk hero 50% \(1\) · 🦹 Villain 50% \(1\).* — 2 voters/);
  });

  it('sets a digest as the admin and sees it posted when the clock reaches it', async () => {
    await tab.eval(beMember('dana'));
    await run('/digest set channel:#news time:09:00 timezone:Europe/Berlin');
    await tab.waitFor('the confirmation', `${shown}.includes('Next digest')`);
    await tab.eval(openChannel('news'));
    await tab.waitFor('#news', "document.getElementById('top').textContent === '# news'");
    expect(await tab.eval<string>(shown)).not.toMatch(/Day \d/);
    await fastForward(DAY);
    await tab.waitFor('the digest in #news', `/Day \\d/.test(${shown})`, 30_000);
    expect(tab.errors).toEqual([]);
  });
});
