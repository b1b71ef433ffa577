import { createHash, randomBytes } from 'node:crypto';
import { paged } from '../card.js';
import type { Clock } from '../clock.js';
import { FORGOTTEN_MEMBER, HOUR } from '../constants.js';
import { KeyedQueue } from '../queue.js';
import { byRank, normalizeText, scoreOf } from './rank.js';
import type { ArgumentRepository, StoredArguments } from './repository.js';
import { type AddResult, type Argument, type ArgumentDraft, MAX_PER_HOUR, type Page, PAGE_SIZE, type RankedArgument, type ReportResult, type Side, TEXT_MAX, type UpvoteResult } from './types.js';

export interface ArgumentDeps {
  repo: ArgumentRepository;
  clock: Clock;
  sides: Side[];
  /** The article's section ids an argument may rest on. */
  sectionIds: string[];
}

/** A draft the service refuses: the command words it for the member. */
export class ArgumentInputError extends Error {
  override name = 'ArgumentInputError';
  constructor(readonly reason: 'side' | 'section' | 'empty' | 'long') {
    super(`argument refused: ${reason}`);
  }
}

/**
 * Each server's arguments: loaded from the store on first use, then kept by applying every change
 * this process stores (after the store confirmed it). Changes to one member's upvote or report on
 * one argument run in call order; different members never wait on each other, so N members
 * upvoting at once leave exactly N upvotes. A server's interactions reach one process (its shard),
 * as for the verdict; what two processes could race on (a text, an argument's record) is a
 * conditional write in the store.
 */
export class ArgumentService {
  private readonly loaded = new Map<string, Promise<StoredArguments>>();
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: ArgumentDeps) {}

  get sides(): Side[] {
    return this.deps.sides;
  }

  sideLabel(sideId: string): string | undefined {
    return this.deps.sides.find((s) => s.id === sideId)?.label;
  }

  /** Posts an argument, unless the member hit the hourly limit or the server has the same text. */
  async add(draft: ArgumentDraft): Promise<AddResult> {
    const text = draft.text.trim().replace(/\s+/g, ' ');
    if (!this.deps.sides.some((s) => s.id === draft.side)) throw new ArgumentInputError('side');
    if (draft.sectionId !== null && !this.deps.sectionIds.includes(draft.sectionId)) throw new ArgumentInputError('section');
    if (normalizeText(text) === '') throw new ArgumentInputError('empty');
    if ([...text].length > TEXT_MAX) throw new ArgumentInputError('long');
    const book = await this.book(draft.guildId);
    return this.queue.run(`${draft.guildId}:author:${draft.authorId}`, async () => {
      const now = this.deps.clock.now();
      const retryAt = await this.nextPostAt(draft.guildId, draft.authorId);
      if (retryAt !== null) return { kind: 'rate-limited', retryAt };
      const id = randomBytes(6).toString('base64url');
      const hash = createHash('sha256').update(normalizeText(text)).digest('hex').slice(0, 32);
      const argument: Argument = { id, guildId: draft.guildId, side: draft.side, text, sectionId: draft.sectionId, authorId: draft.authorId, createdAt: now, hidden: false, reviewedAt: null, channelId: null, messageId: null };
      // The record first, then the text: whoever holds a text has its record stored, so the loser of
      // two processes adding the same text at once can always name the winner's argument.
      await this.deps.repo.put(argument);
      const claim = await this.deps.repo.claimText(draft.guildId, hash, id).catch(async (error: unknown) => {
        await this.deps.repo.remove(draft.guildId, id).catch(() => undefined);
        throw error;
      });
      if (!claim.claimed) {
        await this.deps.repo.remove(draft.guildId, id);
        const existing = book.arguments.find((a) => a.id === claim.holder) ?? (claim.holder ? await this.deps.repo.get(draft.guildId, claim.holder) : undefined);
        if (!existing) throw new Error(`the text of argument ${claim.holder ?? '?'} is claimed but the argument is not stored`);
        return { kind: 'duplicate', existing };
      }
      book.arguments.push(argument);
      return { kind: 'added', argument };
    });
  }

  /** When the member may post again (epoch ms), or null when they may now: checked before the form is shown, and again on submit. */
  async nextPostAt(guildId: string, authorId: string): Promise<number | null> {
    const now = this.deps.clock.now();
    const recent = (await this.book(guildId)).arguments.filter((a) => a.authorId === authorId && a.createdAt > now - HOUR).map((a) => a.createdAt);
    return recent.length >= MAX_PER_HOUR ? Math.min(...recent) + HOUR : null;
  }

  /** Records where the argument's card was posted, for links to it. */
  async attachMessage(guildId: string, argumentId: string, channelId: string, messageId: string): Promise<void> {
    await this.change(guildId, argumentId, (a) => ({ ...a, channelId, messageId }));
  }

  async get(guildId: string, argumentId: string): Promise<RankedArgument | undefined> {
    const book = await this.book(guildId);
    const argument = book.arguments.find((a) => a.id === argumentId);
    return argument ? this.ranked(book, argument, this.deps.clock.now()) : undefined;
  }

  /** Upvotes, or withdraws the member's upvote if they had given it. A hidden argument takes no upvotes. */
  async toggleUpvote(guildId: string, argumentId: string, userId: string): Promise<UpvoteResult> {
    const book = await this.book(guildId);
    return this.queue.run(`${guildId}:${argumentId}:vote:${userId}`, async () => {
      const argument = book.arguments.find((a) => a.id === argumentId);
      if (!argument || argument.hidden) return { kind: 'gone' };
      const voters = book.votes.get(argumentId) ?? new Set<string>();
      book.votes.set(argumentId, voters);
      const on = !voters.has(userId);
      await this.deps.repo.setVote(guildId, argumentId, userId, on);
      if (on) voters.add(userId);
      else voters.delete(userId);
      return { kind: on ? 'upvoted' : 'withdrawn', upvotes: voters.size };
    });
  }

  /** Sends the argument to the moderators' review list; once per member. */
  async report(guildId: string, argumentId: string, userId: string): Promise<ReportResult> {
    const book = await this.book(guildId);
    return this.queue.run(`${guildId}:${argumentId}:report:${userId}`, async () => {
      const argument = book.arguments.find((a) => a.id === argumentId);
      if (!argument || argument.hidden) return 'gone';
      const reporters = book.reports.get(argumentId) ?? new Map<string, number>();
      book.reports.set(argumentId, reporters);
      if (reporters.has(userId)) return 'already';
      const at = this.deps.clock.now();
      await this.deps.repo.setReport(guildId, argumentId, userId, at);
      reporters.set(userId, at);
      return 'reported';
    });
  }

  /**
   * /verdict forget, for the debate: the member's upvotes and reports are withdrawn (an argument's
   * count drops by theirs) and the arguments they posted stay, with no author. Each change goes
   * through the same queue as the member's clicks on that argument.
   */
  async forgetMember(guildId: string, userId: string): Promise<void> {
    const book = await this.book(guildId);
    const touched = new Set([...book.votes].filter(([, voters]) => voters.has(userId)).map(([id]) => id));
    for (const [id, reporters] of book.reports) if (reporters.has(userId)) touched.add(id);
    for (const argumentId of touched) {
      await this.queue.run(`${guildId}:${argumentId}:vote:${userId}`, () =>
        this.queue.run(`${guildId}:${argumentId}:report:${userId}`, async () => {
          await this.deps.repo.dropMember(guildId, argumentId, userId);
          book.votes.get(argumentId)?.delete(userId);
          book.reports.get(argumentId)?.delete(userId);
        }),
      );
    }
    for (const argument of book.arguments.filter((a) => a.authorId === userId)) await this.change(guildId, argument.id, (a) => ({ ...a, authorId: FORGOTTEN_MEMBER }));
  }

  /** Hides (true) or restores (false) an argument; either way its reports so far count as reviewed. */
  async setHidden(guildId: string, argumentId: string, hidden: boolean): Promise<Argument | undefined> {
    return this.change(guildId, argumentId, (a) => ({ ...a, hidden, reviewedAt: this.deps.clock.now() }));
  }

  /** The strongest visible arguments, best first (see ./rank.ts), for one side or all. */
  async top(guildId: string, side: string | null, page: number): Promise<Page<RankedArgument>> {
    const book = await this.book(guildId);
    const now = this.deps.clock.now();
    const shown = book.arguments.filter((a) => !a.hidden && (side === null || a.side === side)).map((a) => this.ranked(book, a, now));
    return paged(shown.sort(byRank), page, PAGE_SIZE);
  }

  /** The best visible argument per side that has one, in the order of the sides (for the digest). */
  async topPerSide(guildId: string): Promise<RankedArgument[]> {
    const out: RankedArgument[] = [];
    for (const side of this.deps.sides) {
      const [best] = (await this.top(guildId, side.id, 0)).items;
      if (best) out.push(best);
    }
    return out;
  }

  /** What moderators should look at: arguments reported since their last review, then hidden ones; newest report first. */
  async reviewList(guildId: string, page: number): Promise<Page<RankedArgument>> {
    const book = await this.book(guildId);
    const now = this.deps.clock.now();
    const latest = (a: Argument) => Math.max(0, ...(book.reports.get(a.id)?.values() ?? []));
    // A report in the same millisecond as the review is treated as unseen: a report is never lost.
    const open = book.arguments.filter((a) => !a.hidden && latest(a) > 0 && latest(a) >= (a.reviewedAt ?? 0)).sort((a, b) => latest(b) - latest(a));
    const hidden = book.arguments.filter((a) => a.hidden).sort((a, b) => (b.reviewedAt ?? 0) - (a.reviewedAt ?? 0));
    return paged([...open, ...hidden].map((a) => this.ranked(book, a, now)), page, PAGE_SIZE);
  }

  /** Settles when every change queued so far has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private ranked(book: StoredArguments, argument: Argument, now: number): RankedArgument {
    const upvotes = book.votes.get(argument.id)?.size ?? 0;
    return { argument, upvotes, reports: book.reports.get(argument.id)?.size ?? 0, score: scoreOf(upvotes, argument.createdAt, now) };
  }

  private async change(guildId: string, argumentId: string, change: (a: Argument) => Argument): Promise<Argument | undefined> {
    const book = await this.book(guildId);
    return this.queue.run(`${guildId}:${argumentId}:record`, async () => {
      const next = await this.deps.repo.update(guildId, argumentId, change);
      if (!next) return undefined;
      const index = book.arguments.findIndex((a) => a.id === argumentId);
      if (index >= 0) book.arguments[index] = next;
      else book.arguments.push(next);
      return next;
    });
  }

  private book(guildId: string): Promise<StoredArguments> {
    let book = this.loaded.get(guildId);
    if (!book) {
      book = this.deps.repo.load(guildId);
      this.loaded.set(guildId, book);
      book.catch(() => this.loaded.delete(guildId));
    }
    return book;
  }
}

