/** A write (or conditional write) the store did not make: the caller must not acknowledge it. */
export class StorageError extends Error {
  override name = 'StorageError';
}
