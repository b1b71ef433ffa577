import { createHmac, randomBytes } from 'node:crypto';
import { ANONYMOUS_SECRET_KEY, COLLECTIONS } from '../storage/keys.js';
import { StorageError, type Store } from '../storage/store.js';

/**
 * How the id a forgotten member's closed-poll ballot is kept under starts; then 24 hex characters.
 * Ballots kept before ids were derived have `forgotten.<random uuid>`.
 */
export const ANONYMOUS_PREFIX = 'forgotten.';

/**
 * The id that stands for a member in one poll once they are forgotten: a keyed hash of poll and
 * member (HMAC-SHA256 with the install's secret), so it is always the same for them yet names no
 * one, and differs from poll to poll.
 */
export class AnonymousIds {
  /** The install's secret, read (or created) once, on first need: forget and recounts of polls holding anonymous ballots. */
  private secret: Promise<string> | undefined;

  constructor(private readonly store: Store) {}

  async idOf(pollId: string, userId: string): Promise<string> {
    return anonymousId(await this.secretOf(), pollId, userId);
  }

  /** Drops from `ballots` (id → ballot) the anonymous twin of every member whose own key is still there. */
  async dropTwins(pollId: string, ballots: Map<string, unknown>): Promise<void> {
    const secret = await this.secretOf();
    for (const id of [...ballots.keys()]) if (!id.startsWith(ANONYMOUS_PREFIX)) ballots.delete(anonymousId(secret, pollId, id));
  }

  /** Read once; created by whichever process needs it first (compare-and-set: every process ends up with the one stored). */
  private secretOf(): Promise<string> {
    this.secret ??= (async () => {
      const meta = this.store.collection<string>(COLLECTIONS.meta);
      const stored = await meta.get(ANONYMOUS_SECRET_KEY);
      if (typeof stored === 'string') return stored;
      const fresh = randomBytes(32).toString('hex');
      if (await meta.claim(ANONYMOUS_SECRET_KEY, fresh)) return fresh;
      const winner = await meta.get(ANONYMOUS_SECRET_KEY);
      if (typeof winner !== 'string') throw new StorageError('the secret behind anonymous ballot ids could not be read after another process stored it');
      return winner;
    })().catch((error: unknown) => {
      this.secret = undefined;
      throw error;
    });
    return this.secret;
  }
}

const anonymousId = (secret: string, pollId: string, userId: string): string => ANONYMOUS_PREFIX + createHmac('sha256', secret).update(`${pollId}:${userId}`).digest('hex').slice(0, 24);
