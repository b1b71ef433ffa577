/**
 * custom_id scheme: `<scope>:<action>[:<arg>…]`, at most 100 characters. The scope names the
 * command module that owns the component, the action one of its handlers; arguments are ids or
 * small enums only ([A-Za-z0-9_.-]). Decoded once by the router; handlers re-check every argument.
 */
export interface CustomId {
  scope: string;
  action: string;
  args: string[];
}

export const CUSTOM_ID_MAX = 100;
const PART = /^[A-Za-z0-9_.-]{1,64}$/;

export function encodeCustomId(scope: string, action: string, ...args: Array<string | number>): string {
  const parts = [scope, action, ...args.map(String)];
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined) throw new Error(`custom_id part "${bad}" must match ${PART}`);
  const id = parts.join(':');
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom_id "${id}" is longer than ${CUSTOM_ID_MAX} characters`);
  return id;
}

/** Returns null for anything that is not in our scheme, so the router can answer "no longer active". */
export function decodeCustomId(id: string): CustomId | null {
  if (id.length === 0 || id.length > CUSTOM_ID_MAX) return null;
  const parts = id.split(':');
  if (parts.length < 2 || !parts.every((p) => PART.test(p))) return null;
  const [scope, action, ...args] = parts as [string, string, ...string[]];
  return { scope, action, args };
}
