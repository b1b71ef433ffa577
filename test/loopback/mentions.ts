/**
 * What a new message would ping, by Discord's rules for `allowed_mentions`
 * (https://discord.com/developers/docs/resources/message#allowed-mentions-object):
 *
 * - No `allowed_mentions`: everything in `content` pings (users, roles, @everyone / @here), and a reply
 *   pings the author of the message it replies to.
 * - With it: only the kinds named in `parse` ('users', 'roles', 'everyone'), plus the ids listed in
 *   `users` / `roles` that the content mentions; a reply pings its author only with `replied_user: true`.
 *   `parse: ['users']` together with a `users` list (same for roles) is a 400 Invalid Form Body.
 * - Only `content` pings (and, in a Components V2 message, its Text Displays): mentions in embeds, buttons
 *   or a thread name never do.
 *
 * The loopback assumes the bot may mention everyone and every role (as a bot with Administrator may), so
 * a journey shows what the bot *asked for*, not what one server's permissions happened to stop.
 */
import { ApiError, isRecord, type ErrorTree, type Json } from './util.js';

export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
  /** Author of the replied-to message, when the reply pings them. */
  repliedUser: string | null;
}

export const NO_PINGS: Pings = Object.freeze({ everyone: false, users: [], roles: [], repliedUser: null }) as Pings;

export const hasPings = (p: Pings): boolean => p.everyone || p.users.length > 0 || p.roles.length > 0 || p.repliedUser !== null;

const USER = /<@!?(\d{17,20})>/g;
const ROLE = /<@&(\d{17,20})>/g;
const EVERYONE = /@(?:everyone|here)\b/;

export interface PingInput {
  content: string;
  /** The body's `allowed_mentions`, as sent (undefined when absent). */
  allowedMentions: unknown;
  authorId: string;
  /** Author of the message replied to, if this message is a reply. */
  repliedAuthorId?: string | undefined;
  /** Roles of the message's guild; a role mention of anything else pings no one. */
  guildRoleIds: readonly string[];
  errorBase?: Array<string | number>;
}

export function computePings(input: PingInput): Pings {
  // Most messages mention no one: skip the parsing (a burst bench sends thousands of replies).
  if (!input.content.includes('@') && input.repliedAuthorId === undefined) {
    if (isRecord(input.allowedMentions)) checkExclusive(strings(input.allowedMentions.parse), strings(input.allowedMentions.users), strings(input.allowedMentions.roles), input.errorBase ?? []);
    return { everyone: false, users: [], roles: [], repliedUser: null };
  }
  const mentioned = {
    users: unique([...input.content.matchAll(USER)].map((m) => m[1]!)).filter((id) => id !== input.authorId),
    roles: unique([...input.content.matchAll(ROLE)].map((m) => m[1]!)).filter((id) => input.guildRoleIds.includes(id)),
    everyone: EVERYONE.test(input.content),
  };
  const replied = input.repliedAuthorId !== undefined && input.repliedAuthorId !== input.authorId ? input.repliedAuthorId : null;
  if (input.allowedMentions === undefined || input.allowedMentions === null) {
    return { ...mentioned, repliedUser: replied };
  }
  const allowed = isRecord(input.allowedMentions) ? input.allowedMentions : {};
  const parse = strings(allowed.parse);
  const users = strings(allowed.users);
  const roles = strings(allowed.roles);
  checkExclusive(parse, users, roles, input.errorBase ?? []);
  return {
    everyone: parse.includes('everyone') && mentioned.everyone,
    users: parse.includes('users') ? mentioned.users : mentioned.users.filter((id) => users.includes(id)),
    roles: parse.includes('roles') ? mentioned.roles : mentioned.roles.filter((id) => roles.includes(id)),
    repliedUser: allowed.replied_user === true ? replied : null,
  };
}

function checkExclusive(parse: string[], users: string[], roles: string[], base: Array<string | number>): void {
  const clash = (['users', 'roles'] as const).find((kind) => parse.includes(kind) && (kind === 'users' ? users : roles).length > 0);
  if (!clash) return;
  const message = `parse:["${clash}"] and ${clash}: [ids...] are mutually exclusive.`;
  const leaf: ErrorTree = { _errors: [{ code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message }] };
  const tree = [...base, 'allowed_mentions'].reduceRight<ErrorTree>((inner, key) => ({ [String(key)]: inner }), leaf);
  throw new ApiError(400, 50035, 'Invalid Form Body', tree);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The fields Discord sets on a message from its pings (`mentions` needs user objects: known ones or a stub). */
export function mentionFields(pings: Pings, userOf: (id: string) => object | undefined): Json {
  return {
    mention_everyone: pings.everyone,
    mentions: pings.users.map((id) => userOf(id) ?? { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null }),
    mention_roles: pings.roles,
  };
}
