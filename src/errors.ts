import { randomBytes } from 'node:crypto';
import { type BotKey, type BotVars, t } from './i18n/index.js';

/** An error whose message is written for the member who caused it and is safe to show them. */
export class UserError extends Error {
  override name = 'UserError';

  constructor(message: string, readonly translation?: { key: BotKey; vars?: BotVars }) {
    super(message);
  }

  /** A refusal from the language files (src/i18n): English in the log, the member's language in the reply. */
  static of(key: BotKey, vars?: BotVars): UserError {
    return new UserError(t('en', key, vars), { key, ...(vars ? { vars } : {}) });
  }

  /** The message in `locale` when it has a translation, else as written. */
  textIn(locale: string | undefined): string {
    return this.translation ? t(locale, this.translation.key, this.translation.vars) : this.message;
  }
}

/**
 * A short id for a failure the member is told about: the apology shows it and the log line with the
 * failure's context carries it, so an admin can find the one from the other.
 */
export function incidentId(): string {
  return randomBytes(4).toString('hex');
}
