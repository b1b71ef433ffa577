import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export interface LoggerOptions {
  /** Exact strings never to write (the bot token); replaced wherever they occur in a line. */
  secrets?: readonly string[];
}

const CENSOR = '[redacted]';

/**
 * Patterns that catch a secret by where it sits, so tokens the logger was never told about are caught
 * too: the interaction token in `/interactions/{id}/{token}/callback` and `/webhooks/{app}/{token}/…`
 * (the URL of every failed interaction reply @discordjs/rest throws), `token` / `authorization` fields in
 * any casing and at any depth (also inside a JSON string), `Bot …` / `Bearer …` credentials in text,
 * anything shaped like a bot token (base64 id . timestamp . hmac), and Discord's interaction tokens by
 * their prefix.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\/(?:interactions|webhooks)\/\d+\/)[^/?#"\\\s]+/g, `$1${CENSOR}`],
  [/("[\w-]*(?:token|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${CENSOR}"`],
  [/(\\"[\w-]*(?:token|authorization)\\"\s*:\s*)\\"[^"\\]*\\"/gi, `$1\\"${CENSOR}\\"`],
  [/\b(Bot|Bearer)\s+[\w.~+/-]{20,}=*/g, `$1 ${CENSOR}`],
  [/[\w-]{20,}\.[\w-]{6,}\.[\w-]{27,}/g, CENSOR],
  // Discord's interaction tokens all begin with "interaction:" in base64.
  [/aW50ZXJhY3Rpb24[\w+/=-]*/g, CENSOR],
];

/** One serialised log line with every secret replaced; applied to the finished text, so nothing escapes it. */
export function redactLine(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(CENSOR);
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Structured JSON logs on stdout. Secrets are removed from the finished line (pino's `streamWrite` hook),
 * not from chosen fields: an `err` from @discordjs/rest carries the interaction token in `url`, its
 * message and its stack, and a header may come in any casing, so only the whole line is a safe place.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  return pino(
    {
      level,
      base: { app: 'tamasha' },
      redact: { paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'], censor: CENSOR },
      hooks: { streamWrite: (line) => redactLine(line, secrets) },
    },
    destination,
  );
}
