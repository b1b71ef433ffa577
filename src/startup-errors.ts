import { GatewayClosedError } from './discord/gateway-close.js';
import { isStoreError, StoreUnavailableError } from './storage/store.js';
import { StoryPackError } from './story/load.js';

/** One clear sentence for each way start-up fails, instead of a stack trace. */
export function describeStartupError(error: unknown): string {
  if (error instanceof StoryPackError) return `tamasha cannot start: ${error.message}\nFix the file named above (the format is described in data/README.md).`;
  if (error instanceof StoreUnavailableError) return `tamasha cannot start: ${error.message}. Check DATABASE_URL (now ${error.url}).`;
  // Before the token check: the close codes 4010–4014 contain "401".
  if (error instanceof GatewayClosedError) return `tamasha cannot start: ${error.message}.`;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'TokenInvalid' || code === '401' || /401|Unauthorized|invalid token/i.test(String(error))) {
    return 'tamasha cannot start: Discord rejected DISCORD_TOKEN. Reset the token in the Developer Portal (Bot → Reset Token), put the new one in .env and start again.';
  }
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed|Connect Timeout/i.test(`${code} ${String(error)} ${causeOf(error)}`)) {
    return `tamasha cannot start: Discord could not be reached (${code || String(error)}). Check the network, or DISCORD_API_URL if you set it.`;
  }
  if (isStoreError(error)) return `tamasha cannot start: the database could not be opened (${String(error)}). Check DATABASE_URL.`;
  return `tamasha cannot start: ${error instanceof Error ? error.message : String(error)}`;
}

function causeOf(error: unknown): string {
  return error instanceof Error && error.cause ? String(error.cause) : '';
}
