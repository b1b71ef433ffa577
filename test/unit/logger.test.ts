import { Writable } from 'node:stream';
import { DiscordAPIError, HTTPError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { fakeToken } from '../helpers/token.js';

const BOT = fakeToken('1100000000000000001');
const INTERACTION = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldHNlY3JldA';

/** A logger whose lines are collected as raw text: what would reach stdout. */
function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('debug', sink, { secrets: [BOT] }) };
}

describe('createLogger keeps secrets out of every line', () => {
  it('redacts authorization headers in any casing and at any depth', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { Authorization: `Bot ${BOT}` } }, 'a');
    logger.info({ req: { headers: { authorization: `Bot ${BOT}` } } }, 'b');
    logger.info({ deep: { deeper: { options: { headers: { AUTHORIZATION: `Bearer ${INTERACTION}` } } } } }, 'c');
    for (const line of lines) {
      expect(line).not.toContain(BOT);
      expect(line).not.toContain(INTERACTION);
      expect(line).toMatch(/\[redacted\]/);
    }
  });

  it('redacts interaction and webhook tokens inside URLs, keeping the route', () => {
    const { lines, logger } = capture();
    logger.warn({ url: `https://discord.com/api/v10/interactions/123456789012345678/${INTERACTION}/callback?with_response=true` }, 'x');
    logger.warn(`PATCH /webhooks/1100000000000000001/${INTERACTION}/messages/@original failed`);
    const text = lines.join('\n');
    expect(text).not.toContain(INTERACTION);
    expect(text).toContain('/interactions/123456789012345678/[redacted]/callback');
    expect(text).toContain('/webhooks/1100000000000000001/[redacted]/messages/@original');
  });

  it('redacts token fields of nested objects (an interaction logged whole)', () => {
    const { lines, logger } = capture();
    logger.info({ interaction: { id: '1', token: INTERACTION, nested: [{ token: INTERACTION }] }, config: { token: BOT } }, 'y');
    expect(lines[0]).not.toContain(INTERACTION);
    expect(lines[0]).not.toContain(BOT);
  });

  it('redacts the bot token wherever it appears in a message or stack', () => {
    const { lines, logger } = capture();
    const error = new Error(`login failed with ${BOT}`);
    logger.error({ err: error }, `could not use ${BOT}`);
    expect(lines[0]).not.toContain(BOT);
    // The token's shape is enough, even when the logger was not told the token.
    const plain: string[] = [];
    const other = createLogger('info', new Writable({ write: (c: Buffer, _e, done) => (plain.push(c.toString()), done()) }));
    other.info(`token is ${fakeToken('99887766554433221')}`);
    expect(plain.join('')).not.toContain(fakeToken('99887766554433221'));
  });

  it('redacts an interaction token in free text, by the prefix Discord gives every one ("interaction:" in base64)', () => {
    const { lines, logger } = capture();
    logger.warn(`retrying with ${INTERACTION} later`);
    expect(lines[0]).not.toContain(INTERACTION);
    expect(lines[0]).toContain('retrying with [redacted] later');
  });

  it('redacts errors thrown by @discordjs/rest: url, requestBody, message and stack', () => {
    const { lines, logger } = capture();
    const url = `http://127.0.0.1:1/api/v10/interactions/123456789012345678/${INTERACTION}/callback`;
    const body = { files: undefined, json: { type: 4, data: { content: 'hi' }, token: INTERACTION } };
    const apiError = new DiscordAPIError({ message: 'Unknown interaction', code: 10062 }, 10062, 404, 'POST', url, body);
    const httpError = new HTTPError(500, 'Internal Server Error', 'POST', `http://127.0.0.1:1/api/v10/webhooks/1/${INTERACTION}?wait=true`, body);
    logger.error({ err: apiError }, 'handler failed');
    logger.error({ err: httpError }, 'follow-up failed');
    for (const line of lines) {
      expect(line).not.toContain(INTERACTION);
      expect(line).toMatch(/\/(interactions\/123456789012345678|webhooks\/1)\/\[redacted\]/);
    }
  });
});
