/**
 * HTTP side: routing under /api/v10, auth, JSON / multipart bodies, request + violation recording,
 * X-RateLimit-* headers and the (optional) global rate limit. Route handlers live in rest.ts and
 * interactions.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoopbackState, RecordedFile } from './state.js';
import { ApiError, isRecord, notFound, type Json } from './util.js';

export interface RequestContext {
  method: string;
  /** Path below /api/v10, e.g. `/channels/123/messages`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** `body` when it is a JSON object, else `{}`. */
  fields: Json;
  files: RecordedFile[];
  param(name: string): string;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  /** Bot-token routes; interaction callbacks and interaction webhooks authenticate by their token instead. */
  auth: boolean;
  handler: Handler;
}

/** Codes that mean "the bot sent something Discord refuses", as opposed to conditions a test set up. */
const VIOLATION_CODES = new Set([50035, 50006, 40060, 10062, 40005]);

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, template: string, handler: Handler, { auth = true }: { auth?: boolean } = {}): void {
    const keys: string[] = [];
    const source = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.#routes.push({ method, template, regex: new RegExp(`^${source}$`), keys, auth, handler });
  }

  match(method: string, path: string): { route: Route; params: Map<string, string> } | undefined {
    for (const route of this.#routes) {
      const m = route.method === method ? route.regex.exec(path) : null;
      if (m) return { route, params: new Map(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1] ?? '')])) };
    }
    return undefined;
  }
}

/**
 * Honest per-bucket counters for the X-RateLimit-* headers @discordjs/rest reads (it queues on
 * `remaining: 0` until `reset-after`). A bucket is one route template per major parameter (channel,
 * guild, webhook + token), as on Discord: 2,000 channels posting one message each are 2,000 buckets
 * and none of them runs dry. Nothing is refused per route: only the global limit answers 429.
 */
export class RateLimitHeaders {
  readonly #windows = new Map<string, { resetAt: number; used: number }>();
  #calls = 0;

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  headers(method: string, template: string, path: string): Record<string, string> {
    // Interaction callbacks are not bucketed by Discord (@discordjs/rest sends them through a burst handler).
    if (template.startsWith('/interactions/')) return {};
    const major = /^\/(?:webhooks\/\d+\/[^/]+|(?:channels|guilds|webhooks)\/\d+)/.exec(path)?.[0] ?? 'global';
    const bucket = Buffer.from(`${method} ${template}`).toString('base64url').slice(0, 24);
    const key = `${bucket}:${major}`;
    const now = Date.now();
    // Thousands of one-off buckets (one per channel) would otherwise pile up; expired ones carry no state.
    if (++this.#calls % 1_000 === 0) for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + this.windowMs, used: 0 };
      this.#windows.set(key, window);
    }
    window.used++;
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - window.used)),
      'x-ratelimit-reset': ((window.resetAt) / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((window.resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
  }
}

/**
 * Discord's global rate limit: at most `perSecond` bot-token requests per `windowMs`. A refused request
 * does not count. `take()` answers how long to wait, in seconds, or undefined when the request may go.
 *
 * - `fixed` (default): a window opens with the first request after the previous window closed and lasts
 *   `windowMs`. This is the model @discordjs/rest throttles itself by (it sends `globalRequestsPerSecond`,
 *   then waits until its own window's end plus `offset`, 50 ms). Jitter inside a burst does not matter;
 *   a client keeping to its limit is refused only if a window's first request reaches the server more
 *   than that offset later than it was counted (a busy event loop, a cold connection).
 * - `sliding`: no more than `perSecond` in ANY window of `windowMs`, the strictest reading of "50 per
 *   second". A burst whose arrivals are spread over more than the client's 50 ms offset then overlaps
 *   the next burst, so @discordjs/rest gets occasional 429s.
 */
export class GlobalRateLimit {
  /** Arrival times (ms) of the requests counted in the current window, oldest first. */
  readonly #times: number[] = [];

  constructor(readonly perSecond: number, readonly windowMs = 1_000, readonly mode: 'fixed' | 'sliding' = 'fixed') {
    if (!(perSecond >= 1)) throw new RangeError(`globalRateLimit.perSecond must be at least 1, got ${perSecond}`);
  }

  take(now: number): number | undefined {
    const times = this.#times;
    if (this.mode === 'sliding') {
      while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    } else if (times.length > 0 && times[0]! <= now - this.windowMs) {
      times.length = 0;
    }
    if (times.length >= this.perSecond) return (times[0]! + this.windowMs - now) / 1000;
    times.push(now);
    return undefined;
  }
}

/** Interaction callbacks and interaction webhooks are not under the bot's global limit, on Discord too. */
const GLOBAL_LIMIT_EXEMPT = /^\/(?:interactions|webhooks)\//;

/** Discord's answer to a request over the global limit (headers as sent by Discord, no bucket headers). */
function globalRateLimited(retryAfter: number): { status: number; headers: Record<string, string>; body: Json } {
  const seconds = Math.max(0.001, Math.ceil(retryAfter * 1000) / 1000);
  return {
    status: 429,
    headers: { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    body: { message: 'You are being rate limited.', retry_after: seconds, global: true, code: 0 },
  };
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
    }
  };
  if (!type.startsWith('multipart/form-data')) return { body: parseJson(raw.toString('utf8')), files: [] };
  // undici's Response parses multipart for us; discord.js sends `payload_json` plus `files[n]` parts.
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  let body: unknown = {};
  const files: RecordedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = parseJson(value);
    } else {
      files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  checkUploads(files);
  return { body, files };
}

/** Discord takes at most 10 files in one message (each file's size is checked with the message, state.ts). */
export const MAX_FILES = 10;

function checkUploads(files: RecordedFile[]): void {
  if (files.length > MAX_FILES) throw new ApiError(400, 50035, 'Invalid Form Body', { attachments: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_FILES} or fewer in length.` }] } });
}

export function createRequestListener(state: LoopbackState, router: Router, rateLimit: RateLimitHeaders, globalLimit?: GlobalRateLimit) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Arrival time, taken before anything else so the global window sees requests as they came in.
    const arrived = performance.timeOrigin + performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://loopback');
    const path = url.pathname.startsWith('/api/v10/') ? url.pathname.slice('/api/v10'.length) : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const countsGlobally = globalLimit !== undefined && url.pathname.startsWith('/api/v10/') && !GLOBAL_LIMIT_EXEMPT.test(path) && req.headers.authorization === `Bot ${state.token}`;
    const retryAfter = countsGlobally ? globalLimit.take(arrived) : undefined;
    if (retryAfter !== undefined) {
      const limited = globalRateLimited(retryAfter);
      req.resume();
      state.rateLimited.push({ method, path, at: arrived, retryAfter: limited.body.retry_after as number, scope: 'global' });
      state.requests.push({ at: arrived, method, path, query, body: undefined, files: [], status: limited.status, response: limited.body });
      state.changed();
      res.writeHead(limited.status, { ...limited.headers, 'content-type': 'application/json' }).end(JSON.stringify(limited.body));
      return;
    }
    let status = 500;
    let payload: unknown;
    let headers: Record<string, string> = {};
    let body: unknown;
    let files: RecordedFile[] = [];
    try {
      ({ body, files } = await readBody(req));
      const match = url.pathname.startsWith('/api/v10/') ? router.match(method, path) : undefined;
      if (!match) {
        state.unhandled.push({ method, path });
        throw notFound();
      }
      headers = rateLimit.headers(method, match.route.template, path);
      if (match.route.auth && req.headers.authorization !== `Bot ${state.token}`) throw new ApiError(401, 0, '401: Unauthorized');
      const refusal = state.refusals.findIndex((r) => r.method === method && r.path.test(path));
      if (refusal >= 0) throw state.refusals.splice(refusal, 1)[0]!.error;
      const reply = await match.route.handler({
        method, path, query: url.searchParams, body, fields: isRecord(body) ? body : {}, files,
        param: (name) => {
          const value = match.params.get(name);
          if (value === undefined) throw new Error(`route ${match.route.template} has no :${name}`);
          return value;
        },
      });
      status = reply.status;
      payload = reply.body;
    } catch (error) {
      if (!(error instanceof ApiError)) {
        // A loopback bug, not a Discord answer: make it loud in the test output.
        console.error(`[loopback] ${method} ${path} crashed:`, error);
        state.unhandled.push({ method, path });
      }
      const apiError = error instanceof ApiError ? error : new ApiError(500, 0, '500: Internal Server Error');
      status = apiError.status;
      payload = apiError.toJSON();
      if (VIOLATION_CODES.has(apiError.code)) {
        state.violations.push({ method, path, status, code: apiError.code, message: apiError.message, ...(apiError.errors ? { errors: apiError.errors } : {}) });
      }
    }
    state.requests.push({ at: arrived, method, path, query, body, files, status, response: payload });
    state.changed();
    if (payload === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(payload));
    }
  };
}
