/** A write (or conditional write) the store did not make: the caller must not acknowledge it. */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** The store named by DATABASE_URL cannot be used; the message is one sentence for the operator. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    /** DATABASE_URL as given. */
    readonly url: string,
    /** What the database calls the store (a file path for SQLite). */
    readonly path: string,
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`the database ${path} ${reason}`, options);
  }
}
