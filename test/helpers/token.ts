/** A token in the shape Discord issues (base64 id . timestamp . hmac), for tests only. */
export function fakeToken(clientId: string): string {
  return `${Buffer.from(clientId).toString('base64url')}.fake00.${'x'.repeat(27)}`;
}
