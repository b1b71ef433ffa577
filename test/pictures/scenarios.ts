/**
 * One short journey per command, played against the loopback Discord with the real bot, returning
 * what a member would see (the bot's messages, and the modal of /poll new). Messages are found by
 * interaction, channel and custom_id, never by their look, so the scenarios survive a new design.
 */
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import type { Journey } from '../e2e/harness.js';
import type { FakeClock } from '../helpers/fake-clock.js';
import type { InteractionHandle, LoopbackMember, OptionValue } from '../loopback/index.js';
import type { PageEntry } from './render.js';

export interface World {
  j: Journey;
  clock: FakeClock;
  /** The member who runs the commands (also allowed to manage the server). */
  asha: LoopbackMember;
  channels: { general: string; news: string };
  /** Names for mentions, by id. */
  users: Record<string, string>;
  roles: Record<string, string>;
  /** The headline poll, started (and voted on) by the first scenario that needs it. */
  headlinePoll?: { message: APIMessage; confirmation: APIMessage };
}

export interface Scenario {
  /** File name of the picture: test/pictures/<name>.png. */
  name: string;
  /** What the picture shows, one line (also above the messages). */
  caption: string;
  run(world: World): Promise<PageEntry[]>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (at most `timeoutMs`), moving the fake clock by `stepMs` each time. */
export async function until<T>(what: string, check: () => T | undefined, w?: World, stepMs = 0, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    if (w && stepMs > 0) w.clock.advance(stepMs);
    await sleep(50);
  }
}

/** The message as it is now (after the bot's edits). */
const now = (w: World, m: APIMessage): APIMessage => w.j.loop.message(m.id) ?? m;
/** The message as the member sees it now, dated by the pictures' clock (the loopback dates by real time). */
const seen = (w: World, m: APIMessage): APIMessage => ({ ...now(w, m), timestamp: new Date(w.clock.now()).toISOString() });

/** Waits until the bot has stopped editing `m` (its poll updates are merged over a few seconds), moving the clock. */
async function settled(w: World, m: APIMessage, since: string): Promise<APIMessage> {
  await until(`message ${m.id} to be updated`, () => (JSON.stringify(now(w, m)) !== since ? true : undefined), w, 2_500);
  let last = JSON.stringify(now(w, m));
  for (let quiet = 0; quiet < 6; ) {
    w.clock.advance(2_500);
    await sleep(60);
    const next = JSON.stringify(now(w, m));
    quiet = next === last ? quiet + 1 : 0;
    last = next;
  }
  return now(w, m);
}

/** Every custom_id on a message, wherever its components keep them (rows, sections, containers). */
export function customIds(m: APIMessage): string[] {
  return [...JSON.stringify(m.components ?? []).matchAll(/"custom_id":"([^"]+)"/g)].map((x) => x[1]!);
}

const command = (w: World, name: string, subcommand: string | undefined, options: Record<string, OptionValue> = {}, channelId = w.channels.general): InteractionHandle =>
  w.j.loop.sendCommand({ name, ...(subcommand ? { subcommand } : {}), options, member: w.asha, channelId });

const reply = async (w: World, name: string, subcommand?: string, options: Record<string, OptionValue> = {}): Promise<APIMessage> =>
  seen(w, await command(w, name, subcommand, options).waitForReply());

async function headlinePoll(w: World): Promise<NonNullable<World['headlinePoll']>> {
  if (w.headlinePoll) return w.headlinePoll;
  const message = await reply(w, 'poll', 'start');
  const since = JSON.stringify(message);
  const votes = customIds(message).filter((id) => id.startsWith('poll:vote:'));
  if (votes.length < 2) throw new Error(`the headline poll has no vote buttons (custom_ids: ${customIds(message).join(', ')})`);
  const picks = [0, 0, 1, 0, 1, 2 % votes.length, 0];
  let confirmation: APIMessage | undefined;
  for (const [i, pick] of picks.entries()) {
    const voter = i === 0 ? w.asha : w.j.loop.member({ username: `voter${i}` });
    const ack = await w.j.loop.clickButton({ message, customId: votes[pick]!, member: voter }).waitForReply();
    confirmation ??= seen(w, ack);
  }
  w.headlinePoll = { message: seen(w, await settled(w, message, since)), confirmation: confirmation! };
  return w.headlinePoll;
}

const pollIdOf = (m: APIMessage): string => {
  const id = customIds(m).map((c) => /^poll:vote:([^:]+):/.exec(c)?.[1]).find(Boolean);
  if (!id) throw new Error('no poll id on the poll message');
  return id;
};

/** A modal with what the member typed written into its fields, as it looks just before Submit. */
function filledIn(data: unknown, values: Record<string, string | string[]>): unknown {
  const copy = structuredClone(data) as { components?: Array<{ component?: { custom_id?: string; type?: number; value?: string; options?: Array<{ value: string; default?: boolean }> } }> };
  for (const label of copy.components ?? []) {
    const field = label.component;
    const value = field?.custom_id === undefined ? undefined : values[field.custom_id];
    if (!field || value === undefined) continue;
    if (typeof value === 'string') field.value = value;
    else for (const option of field.options ?? []) option.default = value.includes(option.value);
  }
  return copy;
}

export const SCENARIOS: Scenario[] = [
  { name: 'story-summary', caption: '`/story summary` — the story in a few lines', run: async (w) => [await reply(w, 'story', 'summary')] },
  { name: 'story-section', caption: '`/story section section:what-happened` — one section, with buttons to page through', run: async (w) => [await reply(w, 'story', 'section', { section: 'what-happened' })] },
  { name: 'story-sections', caption: '`/story sections` — the contents, with a menu that opens any section', run: async (w) => [await reply(w, 'story', 'sections')] },
  { name: 'take-view', caption: "`/take view stakeholder:openai` — one stakeholder's position, stakes and next move", run: async (w) => [await reply(w, 'take', 'view', { stakeholder: 'openai' })] },
  { name: 'take-compare', caption: '`/take compare a:xai b:openai` — two stakeholders side by side', run: async (w) => [await reply(w, 'take', 'compare', { a: 'xai', b: 'openai' })] },
  {
    name: 'poll-start',
    caption: '`/poll start` — the headline poll after a few votes, and the private confirmation of a vote',
    run: async (w) => {
      const poll = await headlinePoll(w);
      return [poll.message, poll.confirmation];
    },
  },
  { name: 'poll-results', caption: '`/poll results` — the standings, only to you', run: async (w) => [await reply(w, 'poll', 'results', { poll: pollIdOf((await headlinePoll(w)).message) })] },
  {
    name: 'poll-new',
    caption: '`/poll new` — a poll from a form, and the poll it starts',
    run: async (w) => {
      const shown = command(w, 'poll', 'new');
      const form = (await shown.response()).data;
      const values = { question: 'Should leaked AI code be published?', answers: 'Yes, all of it\nOnly after review\nNo', duration: '3d', max_choices: ['1'] };
      const poll = seen(w, await w.j.loop.submitModal({ shownBy: shown, values }).waitForReply());
      return [{ kind: 'modal', data: filledIn(form, values) }, poll];
    },
  },
  {
    name: 'poll-export',
    caption: '`/poll export` — a poll as a CSV file, only to you',
    run: async (w) => [await reply(w, 'poll', 'export', { poll: pollIdOf((await headlinePoll(w)).message) })],
  },
  { name: 'discuss', caption: '`/discuss topic:take:engineer` — a topic and an open question, with a thread on it', run: async (w) => [await reply(w, 'discuss', undefined, { topic: 'take:engineer' })] },
  {
    name: 'digest',
    caption: '`/digest set` — a daily digest with a notify role, and the digest it posts at 09:00',
    run: async (w) => {
      const guildId = w.j.guildId;
      const role = w.j.loop.addRole(guildId, { name: 'Digest', position: 2, mentionable: true });
      w.roles[role] = 'Digest';
      w.j.loop.setBotRole(guildId, { allow: PermissionFlagsBits.ManageRoles, position: 3 });
      await until('the bot to see its Manage Roles', () => (w.j.bot.client.guilds.cache.get(guildId)?.members.me?.permissions.has('ManageRoles') ? true : undefined));
      await headlinePoll(w); // the digest reports the headline poll's standings
      const set = await reply(w, 'digest', 'set', { channel: w.channels.news, time: '09:00', timezone: 'Europe/Berlin', notify_role: role });
      const before = new Set(w.j.loop.messagesIn(w.channels.news).map((m) => m.id));
      const digest = await until('the digest in #news', () => w.j.loop.messagesIn(w.channels.news).find((m) => !before.has(m.id)), w, 15 * 60_000, 30_000);
      await w.j.bot.ctx.digests.idle();
      return [set, seen(w, digest)];
    },
  },
  {
    name: 'argue',
    caption: '`/argue add` — an argument on record, as a card others can upvote or report',
    run: async (w) => {
      const shown = command(w, 'argue', 'add');
      const form = (await shown.response()).data;
      const values = { side: ['stance.2'], text: 'If the allegation is true, it breaks a promise to his employer, and still exposes how closed the labs have become.' };
      const card = seen(w, await w.j.loop.submitModal({ shownBy: shown, values }).waitForReply());
      return [{ kind: 'modal', data: filledIn(form, values) }, card];
    },
  },
  { name: 'story-updates', caption: '`/story updates` — what has happened since publication, and where the claim stands', run: async (w) => [await reply(w, 'story', 'updates')] },
  { name: 'verdict', caption: '`/verdict now` — where the server stands on the headline question, with a button per stance', run: async (w) => [await reply(w, 'verdict', 'now')] },
  { name: 'help', caption: '`/help` — what each command does', run: async (w) => [await reply(w, 'help')] },
];
