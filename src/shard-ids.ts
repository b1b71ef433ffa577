/** Which shards a process connects (SHARD_IDS out of SHARD_COUNT): parsing the list and checking it against the count. */

/** `0-3`, `0,2,5`, `0-3,8`: ascending unique ids, or null when malformed. */
export function parseShardIds(list: string): number[] | null {
  const ids = new Set<number>();
  for (const part of list.split(',')) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return null;
    for (const id of range(from, to)) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/**
 * A problem when SHARD_IDS names shards outside SHARD_COUNT, or is set without it. Runs even when
 * another variable failed (see ConfigSchema in config.ts), so either value may be unparsed.
 */
export function shardIdsProblem(ids: unknown, count: unknown): string | null {
  if (!Array.isArray(ids)) return null;
  if (count === undefined) return 'SHARD_IDS is set but SHARD_COUNT is not: set SHARD_COUNT to the total number of shards across every process (the same on every machine).';
  if (typeof count !== 'number') return null;
  const outside = (ids as number[]).filter((id) => id >= count);
  if (outside.length === 0) return null;
  return `SHARD_IDS names shard${outside.length > 1 ? 's' : ''} ${outside.join(', ')}, but with SHARD_COUNT=${count} the shard ids are 0 to ${count - 1}.`;
}

/** from, from + 1, …, to. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
