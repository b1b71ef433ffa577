import { COLLECTIONS, guildDigestsPrefix, guildKey } from '../storage/keys.js';
import { type Collection, type Store } from '../storage/store.js';
import { type DigestSettings, fromStored, type StoredDigestSettings } from './types.js';

/** Read-compare-and-set attempts before a write that keeps losing gives up. */

/** Each server's digest schedules and their delivery records: what the services use, whichever implementation is behind it (StoreDigestRepository below, over the shared Store). */
export interface DigestRepository {
  get(guildId: string, channelId: string): Promise<DigestSettings | undefined>;
  list(guildId: string): Promise<DigestSettings[]>;
  save(settings: DigestSettings): Promise<void>;
  all(): Promise<DigestSettings[]>;
  update(guildId: string, channelId: string, change: (current: DigestSettings | undefined) => DigestSettings | null): Promise<DigestSettings | undefined>;
}

/**
 * Each server's digest schedules and their delivery records, one key per schedule:
 * `guild:<g>:channel:<c>`. A server set up when there was one schedule per server has its record
 * under `guild:<g>`; that record stays where it is (so a process of the previous version, during a
 * rolling restart, claims its days on the same key as this one) and is read as the schedule of its
 * channel, its missing fields filled in (`fromStored`). Nothing is moved or rewritten to migrate.
 */
export class StoreDigestRepository implements DigestRepository {
  private readonly settings: Collection<StoredDigestSettings>;
  /** Which key holds a schedule, once known: a record's channel never changes, so neither does its key. */
  private readonly keys = new Map<string, string>();

  constructor(store: Store) {
    this.settings = store.collection<StoredDigestSettings>(COLLECTIONS.digests);
  }

  async get(guildId: string, channelId: string): Promise<DigestSettings | undefined> {
    const stored = await this.settings.get(await this.keyOf(guildId, channelId));
    return stored && fromStored(stored);
  }

  /** A server's schedules, the oldest-style record first, then by channel id. */
  async list(guildId: string): Promise<DigestSettings[]> {
    const [legacy, rest] = await Promise.all([this.settings.get(guildKey(guildId)), this.settings.entries(guildDigestsPrefix(guildId))]);
    return [...(legacy ? [legacy] : []), ...rest.map(([, s]) => s)].map(fromStored);
  }

  async save(settings: DigestSettings): Promise<void> {
    await this.settings.set(await this.keyOf(settings.guildId, settings.channelId), settings);
  }

  /** Every server's schedules. Start-up only. */
  async all(): Promise<DigestSettings[]> {
    return (await this.settings.entries(guildKey(''))).map(([, settings]) => fromStored(settings));
  }

  /**
   * Read-compare-and-set of the stored record (the truth when another process may change it too);
   * `change` returns null to leave it as it is. Resolves to the record as stored afterwards.
   */
  async update(guildId: string, channelId: string, change: (current: DigestSettings | undefined) => DigestSettings | null): Promise<DigestSettings | undefined> {
    const key = await this.keyOf(guildId, channelId);
    // Compared with the record exactly as stored, old shape included.
    const after = await this.settings.update(key, (stored) => change(stored && fromStored(stored)));
    return after && fromStored(after);
  }

  /** The server's one-schedule record if it is this channel's, else the per-channel key. */
  private async keyOf(guildId: string, channelId: string): Promise<string> {
    const id = `${guildId}/${channelId}`;
    const known = this.keys.get(id);
    if (known) return known;
    const legacy = await this.settings.get(guildKey(guildId));
    const key = legacy?.channelId === channelId ? guildKey(guildId) : `${guildDigestsPrefix(guildId)}${channelId}`;
    this.keys.set(id, key);
    return key;
  }
}
