import { COLLECTIONS, developmentKey, guildDevelopmentsPrefix } from '../storage/keys.js';
import type { Collection, Store } from '../storage/store.js';
import type { ServerDevelopment } from './types.js';

/** A server's own developments: what the services use, whichever implementation is behind it (StoreDevelopmentRepository below, over the shared Store). */
export interface DevelopmentRepository {
  listByGuild(guildId: string): Promise<ServerDevelopment[]>;
  save(guildId: string, development: ServerDevelopment): Promise<void>;
  remove(guildId: string, id: string): Promise<ServerDevelopment | undefined>;
}

/** A server's own developments, one key each (`guild:<g>:development:<id>`), so adding and removing never rewrite a list. */
export class StoreDevelopmentRepository implements DevelopmentRepository {
  private readonly stored: Collection<ServerDevelopment>;

  constructor(store: Store) {
    this.stored = store.collection<ServerDevelopment>(COLLECTIONS.developments);
  }

  /** Every development the server added, in key order. */
  async listByGuild(guildId: string): Promise<ServerDevelopment[]> {
    return (await this.stored.entries(guildDevelopmentsPrefix(guildId))).map(([, d]) => d);
  }

  async save(guildId: string, development: ServerDevelopment): Promise<void> {
    await this.stored.set(developmentKey(guildId, development.id), development);
  }

  /** Removes the server's development and returns it; undefined when it has none by that id. */
  async remove(guildId: string, id: string): Promise<ServerDevelopment | undefined> {
    const key = developmentKey(guildId, id);
    const found = await this.stored.get(key);
    if (found) await this.stored.delete(key);
    return found;
  }
}
