import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import { DefaultRestOptions, REST, type RequestMethod, type RESTOptions } from '@discordjs/rest';
import { ArrivalWindow } from './arrival-window.js';
import { configOrExit, loadRestProxyConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';

/**
 * The REST proxy: one process that every bot process sends its REST calls through (their
 * DISCORD_API_URL), so Discord's global 50 requests a second per bot token is kept once, for all of
 * them, by one @discordjs/rest instance. It also keeps Discord's per-route buckets for all of them.
 *
 * @discordjs/proxy forwards each caller's own Authorization header (it sends with `auth: false`), so
 * the proxy holds no token: a caller without the bot token gets Discord's 401, as it would directly.
 * Discord counts only bot-token requests against the global limit; interaction callbacks and the
 * interaction webhook (edits, follow-ups) carry the interaction token instead. @discordjs/rest would
 * still queue those webhook calls behind its global limiter, so requests without a bot token go to a
 * second instance with no global limit: a reply is never kept waiting behind a digest fan-out.
 *
 * The handler is @discordjs/proxy's `proxyRequests` with one change: it reads the request body
 * before queueing it. `proxyRequests` hands @discordjs/rest the incoming stream, which a retry (after
 * a 429, a 5xx or a timeout) finds already read, so the retry went out empty (a lost message, 50006).
 */
export interface RestProxyOptions {
  /** Where requests go: https://discord.com/api, or a loopback Discord's apiUrl in tests. */
  upstream: string;
  port?: number;
  host?: string;
  /** The global budget a second (default Discord's 50, see PROXY_GLOBAL_PER_SECOND). */
  globalPerSecond?: number;
  logger?: Logger;
}

export interface RestProxy {
  /** The base URL bots use as DISCORD_API_URL: http://host:port/api */
  apiUrl: string;
  close(): Promise<void>;
}

const BOT_AUTH = /^Bot\s/i;

/**
 * Discord's 50. The proxy's own @discordjs/rest counts from the send, in windows of its own, so a
 * window that reaches Discord late (a cold connection; measured 76 ms on a loaded CI machine) overlaps
 * the next and draws global 429s. Every bot-token request therefore also passes an ArrivalWindow, which
 * frees a slot only a second after the answer came back (see src/arrival-window.ts).
 */
export const PROXY_GLOBAL_PER_SECOND = 50;

/** @discordjs/rest's default per-request timeout; ours runs from the send, not from the queue. */
const REQUEST_TIMEOUT_MS = 15_000;

export async function startRestProxy(options: RestProxyOptions): Promise<RestProxy> {
  const logger = options.logger ?? createLogger('silent');
  const perSecond = options.globalPerSecond ?? PROXY_GLOBAL_PER_SECOND;
  const arrivals = new ArrivalWindow(perSecond);
  // Hash and handler sweeping keep memory flat. @discordjs/rest's limiter stays on: it holds queued
  // requests before its timeout starts, so only the last stretch is waited out in the ArrivalWindow.
  const limited = new REST({ api: options.upstream, globalRequestsPerSecond: perSecond, makeRequest: throughWindow(arrivals) });
  const exempt = new REST({ api: options.upstream, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  for (const rest of [limited, exempt]) {
    rest.on('rateLimited', (info) => {
      if (info.global || info.scope !== 'user') logger.warn({ route: info.route, global: info.global, scope: info.scope, retryAfter: info.retryAfter }, 'rate limited');
    });
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization;
    forward(typeof auth === 'string' && BOT_AUTH.test(auth) ? limited : exempt, req, res).catch((error: unknown) => {
      // Not a Discord answer (upstream unreachable, say): a 502, which the caller's REST retries.
      logger.error({ err: error, method: req.method, url: req.url?.replace(/\/webhooks\/(\d+)\/[^/?]+/, '/webhooks/$1/:token') }, 'proxy request failed');
      if (!res.headersSent) res.statusCode = 502;
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    apiUrl: `http://${host}:${address.port}/api`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const rest of [limited, exempt]) {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
    },
  };
}

/**
 * @discordjs/rest's fetch, sent once the window has a slot. Its abort signal started with its timeout
 * before the wait, so the wait would eat the timeout: the send gets a timeout of its own instead.
 */
function throughWindow(arrivals: ArrivalWindow): RESTOptions['makeRequest'] {
  const send = DefaultRestOptions.makeRequest;
  return async (url, init) => {
    const release = await arrivals.acquire();
    try {
      return await send(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } finally {
      release();
    }
  };
}

/** As @discordjs/proxy's proxyRequests, with the body read first (see above). */
async function forward(rest: REST, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  const reason = req.headers['x-audit-log-reason'];
  if (typeof reason === 'string') headers['x-audit-log-reason'] = reason;
  try {
    const response = await rest.queueRequest({
      fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as `/${string}`,
      // Discord answers an unknown method itself (405).
      method: (req.method ?? 'GET') as RequestMethod,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      passThroughBody: true,
      // The caller's own Authorization header is forwarded as it came.
      auth: false,
      query: url.searchParams,
      headers,
    });
    await populateSuccessfulResponse(res, response);
    res.end();
  } catch (error) {
    if (!populateErrorResponse(res, error)) throw error;
    res.end();
  }
}

async function main(): Promise<void> {
  const config = configOrExit(loadRestProxyConfig);
  const logger = createLogger(config.logLevel).child({ module: 'rest-proxy' });
  const proxy = await startRestProxy({ upstream: config.upstream, port: config.port, host: config.host, logger });
  logger.info({ apiUrl: proxy.apiUrl, upstream: config.upstream }, 'REST proxy listening: point every bot process\'s DISCORD_API_URL here, with DISCORD_API_PROXY=true');
  const stop = (signal: string) => {
    logger.info({ signal }, 'REST proxy shutting down');
    void proxy.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) void main();
