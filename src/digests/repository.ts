import { COLLECTIONS, guildKey } from '../storage/keys.js';
import { type Collection, StorageError, type Store } from '../storage/store.js';
import type { DigestSettings } from './types.js';

/** Read-compare-and-set attempts before a write that keeps losing gives up. */
const UPDATE_ATTEMPTS = 10;

/** Each server's digest settings and delivery record, one key per server. */
export class DigestRepository {
  private readonly settings: Collection<DigestSettings>;

  constructor(store: Store) {
    this.settings = store.collection<DigestSettings>(COLLECTIONS.digests);
  }

  async get(guildId: string): Promise<DigestSettings | undefined> {
    return this.settings.get(guildKey(guildId));
  }

  async save(settings: DigestSettings): Promise<void> {
    await this.settings.set(guildKey(settings.guildId), settings);
  }

  /** Every server's settings. Start-up only. */
  async all(): Promise<DigestSettings[]> {
    return (await this.settings.entries(guildKey(''))).map(([, settings]) => settings);
  }

  /**
   * Read-compare-and-set of the stored record (the truth when another process may change it too);
   * `change` returns null to leave it as it is. Resolves to the record as stored afterwards.
   */
  async update(guildId: string, change: (current: DigestSettings | undefined) => DigestSettings | null): Promise<DigestSettings | undefined> {
    const key = guildKey(guildId);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.settings.get(key);
      const next = change(current);
      if (!next) return current;
      if (await this.settings.compareAndSet(key, current, next)) return next;
    }
    throw new StorageError(`${COLLECTIONS.digests}:${key} kept changing under this write`);
  }
}
