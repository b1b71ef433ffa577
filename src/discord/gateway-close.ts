/**
 * Gateway close codes after which discord.js stops reconnecting: the process would stay up but
 * hear nothing. Each names what the operator must fix; the process then exits non-zero so a
 * supervisor restarts it or raises an alert.
 */
const FATAL: Record<number, string> = {
  4004: 'Discord closed the gateway because the token is no longer valid (4004): reset it in the Developer Portal (Bot → Reset Token), put it in .env and restart',
  4010: 'Discord closed the gateway because a shard id is invalid (4010): check the shard settings',
  4011: 'Discord closed the gateway because the bot is in too many servers for one shard (4011): run it with more shards',
  4012: 'Discord closed the gateway because the API version is invalid (4012): update discord.js',
  4013: 'Discord closed the gateway because the requested intents are invalid (4013): check the intents the client asks for',
  4014: 'Discord closed the gateway because an intent is not allowed for this bot (4014): enable it in the Developer Portal (Bot → Privileged Gateway Intents) or stop asking for it',
};

/** The operator-facing reason when `code` is one discord.js will not retry, else null. */
export function fatalCloseReason(code: number): string | null {
  return FATAL[code] ?? null;
}

/** Start-up ended by such a close (during login): its message is the operator-facing reason. */
export class GatewayClosedError extends Error {
  override name = 'GatewayClosedError';

  constructor(readonly code: number, reason: string) {
    super(reason);
  }
}
