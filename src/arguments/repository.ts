import { argumentKey, argumentMemberKey, argumentTextKey, COLLECTIONS, guildArgumentsPrefix } from '../storage/keys.js';
import { type Collection, type Store } from '../storage/store.js';
import type { Argument } from './types.js';


/** What is stored about one server's arguments, as loaded on first use. */
export interface StoredArguments {
  arguments: Argument[];
  /** argument id → members upvoting it */
  votes: Map<string, Set<string>>;
  /** argument id → member → when they reported it */
  reports: Map<string, Map<string, number>>;
}

/** A server's arguments, their upvotes and reports, and the text index: what the services use, whichever implementation is behind it (StoreArgumentRepository below, over the shared Store). */
export interface ArgumentRepository {
  load(guildId: string): Promise<StoredArguments>;
  get(guildId: string, argumentId: string): Promise<Argument | undefined>;
  put(argument: Argument): Promise<void>;
  update(guildId: string, argumentId: string, change: (current: Argument) => Argument | null): Promise<Argument | undefined>;
  claimText(guildId: string, hash: string, argumentId: string): Promise<{ claimed: true } | { claimed: false; holder: string | undefined }>;
  remove(guildId: string, argumentId: string): Promise<void>;
  setVote(guildId: string, argumentId: string, userId: string, on: boolean): Promise<void>;
  dropMember(guildId: string, argumentId: string, userId: string): Promise<void>;
  setReport(guildId: string, argumentId: string, userId: string, at: number): Promise<void>;
}

/**
 * Arguments over the shared Store: one key per argument, one per member's upvote and one per
 * report, so upvotes by different members never write the same key; the text index is claimed
 * once per text, so of two processes adding the same text exactly one wins.
 */
export class StoreArgumentRepository implements ArgumentRepository {
  private readonly records: Collection<Argument>;
  private readonly votes: Collection<number>;
  private readonly reports: Collection<number>;
  private readonly texts: Collection<string>;

  constructor(store: Store) {
    this.records = store.collection<Argument>(COLLECTIONS.arguments);
    this.votes = store.collection<number>(COLLECTIONS.argumentVotes);
    this.reports = store.collection<number>(COLLECTIONS.argumentReports);
    this.texts = store.collection<string>(COLLECTIONS.argumentTexts);
  }

  async load(guildId: string): Promise<StoredArguments> {
    const prefix = guildArgumentsPrefix(guildId);
    const [records, votes, reports] = await Promise.all([this.records.entries(prefix), this.votes.entries(prefix), this.reports.entries(prefix)]);
    const split = (key: string): [string, string] => {
      const [argumentId = '', userId = ''] = key.slice(prefix.length).split(':user:');
      return [argumentId, userId];
    };
    const voters = new Map<string, Set<string>>();
    for (const [key, on] of votes) {
      if (on !== 1) continue;
      const [argumentId, userId] = split(key);
      voters.set(argumentId, (voters.get(argumentId) ?? new Set()).add(userId));
    }
    const reporters = new Map<string, Map<string, number>>();
    for (const [key, at] of reports) {
      const [argumentId, userId] = split(key);
      reporters.set(argumentId, (reporters.get(argumentId) ?? new Map<string, number>()).set(userId, at));
    }
    return { arguments: records.map(([, a]) => a), votes: voters, reports: reporters };
  }

  async get(guildId: string, argumentId: string): Promise<Argument | undefined> {
    return this.records.get(argumentKey(guildId, argumentId));
  }

  async put(argument: Argument): Promise<void> {
    await this.records.set(argumentKey(argument.guildId, argument.id), argument);
  }

  /** Read-compare-and-set of an argument; `change` returns null to leave it. */
  async update(guildId: string, argumentId: string, change: (current: Argument) => Argument | null): Promise<Argument | undefined> {
    return this.records.update(argumentKey(guildId, argumentId), (current) => (current ? change(current) : null));
  }

  /** Claims a text for an argument: false (and the id holding it) when the server already has it. */
  async claimText(guildId: string, hash: string, argumentId: string): Promise<{ claimed: true } | { claimed: false; holder: string | undefined }> {
    const key = argumentTextKey(guildId, hash);
    if (await this.texts.claim(key, argumentId)) return { claimed: true };
    return { claimed: false, holder: await this.texts.get(key) };
  }

  /** Deletes an argument that lost its text to another (added at the same moment). */
  async remove(guildId: string, argumentId: string): Promise<void> {
    await this.records.delete(argumentKey(guildId, argumentId));
  }

  async setVote(guildId: string, argumentId: string, userId: string, on: boolean): Promise<void> {
    await this.votes.set(argumentMemberKey(guildId, argumentId, userId), on ? 1 : 0);
  }

  /** Deletes a member's upvote and report keys on one argument (/verdict forget). */
  async dropMember(guildId: string, argumentId: string, userId: string): Promise<void> {
    const key = argumentMemberKey(guildId, argumentId, userId);
    await Promise.all([this.votes.delete(key), this.reports.delete(key)]);
  }

  async setReport(guildId: string, argumentId: string, userId: string, at: number): Promise<void> {
    await this.reports.set(argumentMemberKey(guildId, argumentId, userId), at);
  }
}
