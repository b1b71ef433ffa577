/**
 * HTTP side: routing under /api/v10, auth, JSON / multipart bodies, request + violation recording and
 * X-RateLimit-* headers. Route handlers live in rest.ts and interactions.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
const VIOLATION_CODES = new Set([50035, 50006, 40060, 10062]);

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
 * `remaining: 0` until `reset-after`). Nothing is refused: enforcing would mean answering 429 with
 * Retry-After from `headers()` once `used > limit`.
 */
export class RateLimitHeaders {
  readonly #windows = new Map<string, { resetAt: number; used: number }>();

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  headers(method: string, template: string, path: string): Record<string, string> {
    // Interaction callbacks are not bucketed by Discord (@discordjs/rest sends them through a burst handler).
    if (template.startsWith('/interactions/')) return {};
    const major = /^\/(?:webhooks\/\d+\/[^/]+|(?:channels|guilds|webhooks)\/\d+)/.exec(path)?.[0] ?? 'global';
    const bucket = Buffer.from(`${method} ${template}`).toString('base64url').slice(0, 24);
    const key = `${bucket}:${major}`;
    const now = Date.now();
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
  return { body, files };
}

export function createRequestListener(state: LoopbackState, router: Router, rateLimit: RateLimitHeaders) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://loopback');
    const path = url.pathname.startsWith('/api/v10/') ? url.pathname.slice('/api/v10'.length) : url.pathname;
    const query = Object.fromEntries(url.searchParams);
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
    state.requests.push({ method, path, query, body, files, status, response: payload });
    state.changed();
    if (payload === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(payload));
    }
  };
}
