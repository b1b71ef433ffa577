/** An error whose message is written for the member who caused it and is safe to show them. */
export class UserError extends Error {
  override name = 'UserError';
}
