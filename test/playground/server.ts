/**
 * The playground's HTTP server, on 127.0.0.1 only: the page (page.ts), and a small JSON API plus an
 * event stream (SSE) over the World. Every action goes through the loopback Discord as a member's
 * Discord client would send it; the answers come back as the messages the bot posted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InteractionResponseType, type APIMessage } from 'discord-api-types/v10';
import type { InteractionHandle } from '../loopback/index.js';
import { controlsOf } from '../loopback/index.js';
import { renderMessage } from '../pictures/render.js';
import { mediaOf } from '../pictures/take.js';
import { parseLine, staticSuggestions, typedOptions, type Names, type Suggestion } from './composer.js';
import { APP_JS, pageHtml } from './page.js';
import type { PlaygroundMember, World } from './world.js';

type Body = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const readBody = async (req: IncomingMessage): Promise<Body> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'expected a JSON object');
  return parsed as Body;
};

const str = (body: Body, key: string): string => {
  const v = body[key];
  if (typeof v !== 'string') throw new HttpError(400, `"${key}" must be a string`);
  return v;
};

export interface Playground {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startPlaygroundServer(world: World, port = 0): Promise<Playground> {
  const loop = world.j.loop;
  const guildId = world.j.guildId;
  const modals = new Map<string, InteractionHandle>();
  const names: Names = {
    channel: (n) => world.channels.find((c) => c.name === n)?.id,
    user: (n) => world.members.find((m) => m.key === n)?.member.id,
    role: (n) => Object.entries(world.roles).find(([, name]) => name === n)?.[0],
  };
  const commands = () => loop.commands(guildId);
  /** The commands Discord would offer the member: those whose default permissions they have. */
  const offered = (member: PlaygroundMember) => commands().filter((c) => world.mayUse(member, c));

  /** Every channel and thread, with the members who can see it. */
  const channelList = (): Body[] => world.channels.map((c) => ({ ...c, members: world.members.filter((m) => world.canSee(m, c)).map((m) => m.key) }));

  /** What the member sees after acting: nothing to do (the answer arrives as messages), a modal, or an error. */
  const outcome = async (handle: InteractionHandle): Promise<Body> => {
    const response = await handle.response();
    if (response.type === InteractionResponseType.Modal) {
      modals.set(handle.id, handle);
      return { modal: { id: handle.id, data: response.data } };
    }
    return { ok: true };
  };

  const view = (message: APIMessage): Body => {
    const at = world.seenAt(message);
    const shown = { ...message, timestamp: new Date(at).toISOString() };
    const html = renderMessage(shown, { authorName: 'tamasha', users: world.users, roles: world.roles, channels: Object.fromEntries(world.channels.map((c) => [c.id, c.name])), media: mediaOf(loop, message.id), now: world.clock.now() });
    return { id: message.id, html, controls: controlsOf(message) };
  };

  const routes: Record<string, (body: Body) => Promise<Body> | Body> = {
    'GET /api/state': () => ({
      members: world.members.map((m) => ({ key: m.key, name: m.name, about: m.about })),
      channels: channelList(),
      commands: commands().map((c) => ({ name: c.name, description: c.description, options: c.options ?? [] })),
      now: world.clock.now(),
    }),
    'POST /api/suggest': async (body) => {
      const line = str(body, 'line');
      const member = world.member(str(body, 'member'));
      const lists = { channels: world.channels.map((c) => c.name), users: world.members.map((m) => m.key), roles: Object.values(world.roles) };
      const fixed = staticSuggestions(line, offered(member), lists);
      if (fixed) return { suggestions: fixed };
      const parsed = parseLine(line, commands(), true);
      const last = parsed.last!;
      const options = { ...typedOptions(parsed, names), [last.name]: last.raw };
      const handle = loop.sendAutocomplete({
        name: parsed.name, ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}), ...(parsed.subcommandGroup ? { subcommandGroup: parsed.subcommandGroup } : {}),
        options, focused: last.name, member: member.member, channelId: str(body, 'channel'),
      });
      const base = line.slice(0, line.length - last.raw.length);
      const suggestions: Suggestion[] = (await handle.autocompleteChoices()).map((c) => ({ label: c.name, line: `${base}${String(c.value)} ` }));
      return { suggestions };
    },
    'POST /api/run': async (body) => {
      const member = world.member(str(body, 'member'));
      const parsed = parseLine(str(body, 'line').trimEnd(), offered(member));
      if (!parsed.command) throw new HttpError(400, commands().some((c) => c.name === parsed.name) ? `/${parsed.name} is not offered to ${member.name}: it needs permissions they do not have` : `There is no command /${parsed.name}`);
      if (parsed.pending !== '') {
        const choices = parsed.defs.map((d) => d.name).join(', ') || 'none';
        throw new HttpError(400, `/${[parsed.name, parsed.subcommandGroup, parsed.subcommand].filter(Boolean).join(' ')}: "${parsed.pending}" is not one of its options (${choices}); type name:value`);
      }
      const handle = loop.sendCommand({
        name: parsed.name, ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}), ...(parsed.subcommandGroup ? { subcommandGroup: parsed.subcommandGroup } : {}),
        options: typedOptions(parsed, names), member: member.member, channelId: str(body, 'channel'),
      });
      return outcome(handle);
    },
    'POST /api/click': (body) => outcome(loop.clickButton({ message: str(body, 'message'), customId: str(body, 'customId'), member: world.member(str(body, 'member')).member })),
    'POST /api/select': (body) => {
      const values = body.values;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new HttpError(400, '"values" must be strings');
      return outcome(loop.selectMenu({ message: str(body, 'message'), customId: str(body, 'customId'), values, member: world.member(str(body, 'member')).member }));
    },
    'POST /api/modal': (body) => {
      const shownBy = modals.get(str(body, 'id'));
      if (!shownBy) throw new HttpError(404, 'That form is no longer open');
      const values = body.values;
      if (typeof values !== 'object' || values === null) throw new HttpError(400, '"values" must be an object');
      modals.delete(shownBy.id);
      return outcome(loop.submitModal({ shownBy, values: values as Record<string, string | string[] | boolean> }));
    },
    'POST /api/clock': async (body) => {
      const ms = body.forward;
      if (typeof ms !== 'number' || !(ms > 0) || ms > 40 * 86_400_000) throw new HttpError(400, '"forward" must be a number of ms (up to 40 days)');
      await world.fastForward(ms);
      return { now: world.clock.now() };
    },
  };

  const stream = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const member = world.member(url.searchParams.get('member') ?? '');
    const channel = world.channel(url.searchParams.get('channel') ?? '');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const sent = new Map<string, string>();
    let lastNow = -1;
    let lastChannels = JSON.stringify(channelList());
    const push = (): void => {
      const channels = JSON.stringify(channelList());
      if (channels !== lastChannels) res.write(`event: channels\ndata: ${channels}\n\n`);
      lastChannels = channels;
      const now = Math.floor(world.clock.now() / 1000);
      if (now !== lastNow) res.write(`event: clock\ndata: ${JSON.stringify({ now: world.clock.now() })}\n\n`);
      lastNow = now;
      const list = world.canSee(member, channel) ? world.messagesFor(member, channel.id) : [];
      const ids = new Set(list.map((m) => m.id));
      for (const id of [...sent.keys()].filter((k) => !ids.has(k))) {
        sent.delete(id);
        res.write(`event: remove\ndata: ${JSON.stringify({ id })}\n\n`);
      }
      for (const message of list) {
        const key = JSON.stringify(message);
        if (sent.get(message.id) === key) continue;
        sent.set(message.id, key);
        res.write(`event: message\ndata: ${JSON.stringify(view(message))}\n\n`);
      }
    };
    push();
    const timer = setInterval(push, 200);
    req.on('close', () => clearInterval(timer));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, type: string, body: string): void => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      try {
        if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', pageHtml());
        if (req.method === 'GET' && url.pathname === '/app.js') return send(200, 'text/javascript; charset=utf-8', APP_JS);
        if (req.method === 'GET' && url.pathname === '/api/events') return stream(req, res, url);
        const route = routes[`${req.method} ${url.pathname}`];
        if (!route) return send(404, 'application/json', JSON.stringify({ error: 'Not found' }));
        const body = req.method === 'POST' ? await readBody(req) : {};
        return send(200, 'application/json', JSON.stringify(await route(body)));
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 400;
        return send(status, 'application/json', JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the playground server has no TCP address');
  return {
    server,
    port: address.port,
    url: `http://127.0.0.1:${address.port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
