/**
 * Proves the loopback Discord against a bare, unmodified discord.js Client (not the bot's code).
 */
import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  ContainerBuilder,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextDisplayBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startLoopbackDiscord, type Loopback, type LoopbackOptions } from '../loopback/index.js';

let loop: Loopback | undefined;
const clients: Client[] = [];

async function start(opts?: LoopbackOptions): Promise<Loopback> {
  loop = await startLoopbackDiscord(opts);
  return loop;
}

/** Logs a client in and waits for `clientReady` (all guilds received), like the bot will. */
async function connect(l: Loopback, shard?: { id: number; count: number }): Promise<Client<true>> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: l.apiUrl }, ...(shard ? { shards: [shard.id], shardCount: shard.count } : {}) });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(l.token);
  await ready;
  if (!client.isReady()) throw new Error('client not ready');
  return client;
}

/** Runs `fn` on the next interaction the client receives; the promise carries fn's result or error. */
function onNextInteraction<T>(client: Client, fn: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => client.once(Events.InteractionCreate, (i) => void fn(i).then(resolve, reject)));
}

const echoCommand = new SlashCommandBuilder()
  .setName('echo')
  .setDescription('Echo text')
  .addStringOption((o) => o.setName('text').setDescription('What to say').setRequired(true))
  .addIntegerOption((o) => o.setName('times').setDescription('How often'))
  .addNumberOption((o) => o.setName('ratio').setDescription('A number option'))
  .addStringOption((o) => o.setName('topic').setDescription('Pick a topic').setAutocomplete(true));

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  const current = loop;
  loop = undefined;
  if (!current) return;
  try {
    current.assertNoViolations();
  } finally {
    await current.close();
  }
});

describe('loopback Discord: login', () => {
  it('logs a discord.js Client in and delivers the configured guilds', async () => {
    const l = await start({ guilds: [{ name: 'News Room' }, { name: 'Second' }] });
    const client = await connect(l);
    expect(client.user.id).toBe(l.botUser.id);
    expect([...client.guilds.cache.values()].map((g) => g.name).sort()).toEqual(['News Room', 'Second']);
    const guild = client.guilds.cache.get(l.guilds[0]!.id)!;
    expect(guild.available).toBe(true);
    expect(guild.channels.cache.get(l.guilds[0]!.channelId('general'))?.type).toBe(ChannelType.GuildText);
    expect(guild.channels.cache.get(l.guilds[0]!.channelId('announcements'))?.type).toBe(ChannelType.GuildAnnouncement);
    expect(guild.roles.everyone.id).toBe(guild.id);
    expect(guild.members.me?.id).toBe(l.botUser.id);
    await expect(client.application.fetch()).resolves.toMatchObject({ id: l.applicationId });
    await l.waitForReady(1);
  });

  it('fails login with a wrong token (REST 401 → TokenInvalid)', async () => {
    const l = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: l.apiUrl } });
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toThrow(/token/i);
    expect(l.requests).toContainEqual(expect.objectContaining({ method: 'GET', path: '/gateway/bot', status: 401 }));
  });

  it('closes the gateway with 4004 when IDENTIFY carries a wrong token', async () => {
    const l = await start();
    const ws = new WebSocket(`${l.gatewayUrl}?v=10&encoding=json`);
    ws.on('message', (raw) => {
      const op: unknown = JSON.parse(raw.toString()).op;
      if (op === 10) ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    });
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('gives each shard of a sharded bot only its own guilds, and routes interactions to the owner', async () => {
    const l = await start({ guilds: [{ name: 'A' }, { name: 'B' }] });
    const [c0, c1] = await Promise.all([connect(l, { id: 0, count: 2 }), connect(l, { id: 1, count: 2 })]);
    const owner = (guildId: string): number => Number((BigInt(guildId) >> 22n) % 2n);
    for (const [index, client] of [c0, c1].entries()) {
      expect([...client.guilds.cache.keys()]).toEqual(l.guilds.filter((g) => owner(g.id) === index).map((g) => g.id));
    }
    // Default guild ids are one millisecond apart, so consecutive guilds alternate shards.
    expect([c0.guilds.cache.size, c1.guilds.cache.size]).toEqual([1, 1]);
    expect(l.sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);

    const guildOfShard1 = l.guilds.find((g) => owner(g.id) === 1)!;
    const seen = onNextInteraction(c1, async (i) => i.guildId);
    c0.once(Events.InteractionCreate, () => expect.fail('shard 0 must not receive a shard 1 interaction'));
    l.sendCommand({ guildId: guildOfShard1.id, name: 'anything' });
    await expect(seen).resolves.toBe(guildOfShard1.id);
  });

  it('acknowledges heartbeats', async () => {
    const l = await start({ heartbeatIntervalMs: 30 });
    const client = await connect(l);
    await vi.waitFor(() => expect(l.sessions[0]?.heartbeats).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
    await vi.waitFor(() => expect(client.ws.ping).toBeGreaterThanOrEqual(0));
  });
});

describe('loopback Discord: slash commands', () => {
  it('registers commands and delivers typed options; reply() shows up as the reply', async () => {
    const l = await start();
    const client = await connect(l);
    await client.application.commands.set([echoCommand.toJSON()]);
    expect(l.commands().map((c) => c.name)).toEqual(['echo']);

    const alice = l.member({ username: 'alice' });
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.reply({ content: `${i.options.getString('text', true)} x${i.options.getInteger('times')} r${i.options.getNumber('ratio')}` });
      return i.user.username;
    });
    // `ratio: 2` looks like an integer; the registered definition makes it a Number (type 10).
    const handle = l.sendCommand({ name: 'echo', member: alice, options: { text: 'hi', times: 2, ratio: 2 } });
    const reply = await handle.waitForReply();
    await expect(handled).resolves.toBe('alice');
    expect(reply.content).toBe('hi x2 r2');
    expect(reply.author.id).toBe(l.botUser.id);
    expect(reply.interaction_metadata).toMatchObject({ id: handle.id, user: { id: alice.id } });
    expect(handle.payload.data).toMatchObject({ options: [{ name: 'text', type: 3 }, { name: 'times', type: 4, value: 2 }, { name: 'ratio', type: 10 }] });
    expect(l.messagesIn(l.guilds[0]!.channelId('general')).map((m) => m.content)).toEqual(['hi x2 r2']);
  });

  it('refuses to send what a Discord client could not (unknown option, missing required option)', async () => {
    const l = await start();
    const client = await connect(l);
    await client.application.commands.set([echoCommand.toJSON()]);
    expect(() => l.sendCommand({ name: 'echo', options: { text: 'a', nope: 1 } })).toThrow(/no option "nope"/);
    expect(() => l.sendCommand({ name: 'echo', options: {} })).toThrow(/missing required option\(s\) text/);
    expect(() => l.sendCommand({ name: 'echo', options: { text: 'a', times: 1.5 } })).toThrow(/Integer/);
  });

  it('builds subcommand groups and subcommands from the registered definition', async () => {
    const l = await start();
    const client = await connect(l);
    const poll = new SlashCommandBuilder()
      .setName('poll')
      .setDescription('Polls')
      .addSubcommandGroup((g) =>
        g.setName('admin').setDescription('Admin').addSubcommand((c) => c.setName('close').setDescription('Close').addBooleanOption((o) => o.setName('announce').setDescription('Announce').setRequired(true))),
      )
      .addSubcommand((c) => c.setName('show').setDescription('Show'));
    await client.application.commands.set([poll.toJSON()], l.guilds[0]!.id);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply(`${i.options.getSubcommandGroup()}/${i.options.getSubcommand()}/${i.options.getBoolean('announce', true)}`);
      return i.commandGuildId;
    });
    const reply = await l.sendCommand({ name: 'poll', subcommandGroup: 'admin', subcommand: 'close', options: { announce: false } }).waitForReply();
    expect(reply.content).toBe('admin/close/false');
    await expect(handled).resolves.toBe(l.guilds[0]!.id);
    expect(() => l.sendCommand({ name: 'poll' })).toThrow(/pick one of admin, show/);
  });

  it('supports deferReply + editReply and follow-ups', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'done thinking' });
      await i.followUp({ content: 'one more thing' });
    });
    const handle = l.sendCommand({ name: 'slow' });
    expect(await handle.response()).toMatchObject({ type: 5 });
    const reply = await handle.waitForReply();
    expect(reply.content).toBe('done thinking');
    expect(reply.flags).toBe(MessageFlags.Ephemeral);
    await handled;
    const [followUp] = await handle.waitForFollowUps(1);
    expect(followUp?.content).toBe('one more thing');
  });

  it('returns the callback resource with withResponse and uploads files as multipart', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      const response = await i.reply({ content: 'with file', files: [{ attachment: Buffer.from('hello'), name: 'note.txt' }], withResponse: true });
      return response.resource?.message?.content;
    });
    const reply = await l.sendCommand({ name: 'file' }).waitForReply();
    await expect(handled).resolves.toBe('with file');
    expect(reply.attachments).toMatchObject([{ filename: 'note.txt', size: 5 }]);
    const upload = l.requests.find((r) => r.path.endsWith('/callback'));
    expect(upload?.files[0]?.data.toString()).toBe('hello');
  });

  it('keeps a file sent by editing a deferred reply, and refuses one over the attachment limit with 413 / 40005', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'your file', files: [{ attachment: Buffer.from('a,b\r\n'), name: 'data.csv' }] });
      expect(i.attachmentSizeLimit).toBe(10 * 1024 * 1024);
      return i.followUp({ content: 'too big', files: [{ attachment: Buffer.alloc(i.attachmentSizeLimit + 1), name: 'big.bin' }], flags: MessageFlags.Ephemeral });
    });
    const handle = l.sendCommand({ name: 'export' });
    await expect(handled).rejects.toMatchObject({ code: 40005, status: 413 });
    const reply = await handle.waitForReply();
    expect(reply.flags).toBe(MessageFlags.Ephemeral);
    expect(l.filesOf(reply.id).map((f) => [f.filename, f.data.toString()])).toEqual([['data.csv', 'a,b\r\n']]);
    expect(l.takeViolations()).toMatchObject([{ code: 40005, status: 413 }]);
  });

  it('refuses more than 10 files in one message with 50035, as Discord does', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply();
      const tooMany = i.editReply({ files: Array.from({ length: 11 }, (_, n) => ({ attachment: Buffer.from('x'), name: `f${n}.txt` })) });
      await expect(tooMany).rejects.toMatchObject({ status: 400, code: 50035 });
      return (await i.editReply({ files: Array.from({ length: 10 }, (_, n) => ({ attachment: Buffer.from('x'), name: `f${n}.txt` })) })).id;
    });
    l.sendCommand({ name: 'upload' });
    expect(l.filesOf(await handled)).toHaveLength(10);
    expect(l.takeViolations()).toMatchObject([{ code: 50035 }]);
  });

  it('answers a second acknowledgement with 40060 (discord.js itself refuses a second reply())', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply('first');
      await expect(i.reply('second')).rejects.toThrow(/already been sent or deferred/);
      // A second handler with its own Interaction object (or a second process) would hit Discord:
      return client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'again' } }, auth: false });
    });
    l.sendCommand({ name: 'twice' });
    await expect(handled).rejects.toMatchObject({ code: 40060, status: 400 });
    expect(l.takeViolations()).toMatchObject([{ code: 40060 }]);
  });

  it('answers 10062 Unknown interaction after the 3 s window (injectable clock)', async () => {
    let clock = 1_700_000_000_000;
    const l = await start({ now: () => clock });
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      clock += 3_001;
      await i.reply('too late');
    });
    l.sendCommand({ name: 'late' });
    await expect(handled).rejects.toBeInstanceOf(DiscordAPIError);
    expect(l.takeViolations()).toMatchObject([{ code: 10062, status: 404 }]);
  });

  it('answers 50035 for six action rows, naming the field', async () => {
    const l = await start();
    const client = await connect(l);
    const rows = Array.from({ length: 6 }, (_, r) =>
      new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(`b${r}`).setLabel('x').setStyle(ButtonStyle.Primary)),
    );
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.reply({ content: 'rows', components: rows });
    });
    l.sendCommand({ name: 'rows' });
    await expect(handled).rejects.toMatchObject({ code: 50035, message: expect.stringContaining('data.components[BASE_TYPE_MAX_LENGTH]') });
    const [violation] = l.takeViolations();
    expect(violation).toMatchObject({ code: 50035, path: expect.stringMatching(/\/callback$/) });
  });

  it('checks Components V2 replies, follow-ups, webhook edits and message edits as Discord does', async () => {
    const l = await start();
    const client = await connect(l);
    const card = (text: string) => new ContainerBuilder().setAccentColor(0x5865f2).addTextDisplayComponents(new TextDisplayBuilder().setContent(text));
    const v2 = MessageFlags.IsComponentsV2;
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      await i.deferReply();
      const reply = await i.editReply({ components: [card('## Shown')], flags: v2 });
      const refused = await Promise.allSettled([
        i.followUp({ content: 'words beside the flag', components: [card('x')], flags: v2 }),
        // Each Text Display within its own 4,000 (the builder checks that), together one over.
        i.editReply({ components: [card('y'.repeat(2001)).addTextDisplayComponents(new TextDisplayBuilder().setContent('z'.repeat(2000)))], flags: v2 }),
        i.followUp({ components: Array.from({ length: 41 }, (_, n) => new TextDisplayBuilder().setContent(`${n}`)), flags: v2 }),
        reply.edit({ components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('b').setLabel('b').setStyle(ButtonStyle.Primary))], flags: [] }),
      ]);
      return refused.map((r) => (r.status === 'rejected' ? (r.reason as DiscordAPIError).message.split('\n').slice(1).join(' ').trim() : 'accepted'));
    });
    const handle = l.sendCommand({ name: 'cards' });
    const reply = await handle.waitForReply();
    expect(reply.components).toMatchObject([{ type: 17, components: [{ type: 10, content: '## Shown' }] }]);
    expect(reply.flags).toBe(v2);
    await expect(handled).resolves.toEqual([
      expect.stringContaining('content[MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2]'),
      expect.stringContaining('components[MAX_TEXT_DISPLAY_LENGTH_EXCEEDED]'),
      expect.stringContaining('components[COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED]'),
      expect.stringContaining('flags[MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG]'),
    ]);
    expect(l.takeViolations().map((v) => v.code)).toEqual([50035, 50035, 50035, 50035]);
    expect(l.message(reply.id)?.components).toMatchObject([{ type: 17, components: [{ content: '## Shown' }] }]);
  });

  it('explains violations readably in assertNoViolations()', async () => {
    const l = await start();
    const client = await connect(l);
    const channel = client.channels.cache.get(l.guilds[0]!.channelId('general'));
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    await expect(channel.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    await expect(channel.send({ embeds: [] })).rejects.toMatchObject({ code: 50006 });
    expect(() => l.assertNoViolations()).toThrow(/POST \/channels\/\d+\/messages → 400 50035 Invalid Form Body\n\s+content\[BASE_TYPE_MAX_LENGTH\]: Must be 2000 or fewer in length\./);
    expect(l.takeViolations().map((v) => v.code)).toEqual([50035, 50006]);
  });

  it('validates command registration like Discord', async () => {
    const l = await start();
    const client = await connect(l);
    await expect(client.application.commands.set([{ name: 'Shout', description: 'upper case is not allowed' }])).rejects.toMatchObject({ code: 50035 });
    const errors = l.takeViolations()[0]?.errors;
    expect(JSON.stringify(errors)).toContain('APPLICATION_COMMAND_INVALID_NAME');
  });
});

describe('loopback Discord: components and autocomplete', () => {
  it('delivers a button click on a bot message; update() edits that message', async () => {
    const l = await start();
    const client = await connect(l);
    const channel = client.channels.cache.get(l.guilds[0]!.channelId('general'));
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('vote:yes').setLabel('Yes').setStyle(ButtonStyle.Success),
      new ButtonBuilder().setURL('https://example.invalid').setLabel('Read').setStyle(ButtonStyle.Link),
    );
    const sent = await channel.send({ content: 'Vote?', components: [row] });

    const handled = onNextInteraction(client, async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      await i.update({ content: `voted ${i.customId}`, components: [] });
      return i.message.id;
    });
    const handle = l.clickButton({ message: sent.id, customId: 'vote:yes' });
    const updated = await handle.waitForReply();
    await expect(handled).resolves.toBe(sent.id);
    expect(updated).toMatchObject({ id: sent.id, content: 'voted vote:yes', components: [] });
    expect(() => l.clickButton({ message: sent.id, customId: 'vote:yes' })).toThrow(/no button "vote:yes"/);
    expect(() => l.clickButton({ message: sent.id, customId: 'vote:yes', force: true })).not.toThrow();
  });

  it('delivers select menu values; deferUpdate + editReply edits the message', async () => {
    const l = await start();
    const client = await connect(l);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a command');
      const menu = new StringSelectMenuBuilder().setCustomId('pick').addOptions({ label: 'A', value: 'a' }, { label: 'B', value: 'b' });
      await i.reply({ content: 'pick one', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)] });
    });
    const menuMessage = await l.sendCommand({ name: 'menu' }).waitForReply();
    await handled;

    const picked = onNextInteraction(client, async (i) => {
      if (!i.isStringSelectMenu()) throw new Error('expected a select menu');
      await i.deferUpdate();
      await i.editReply({ content: `picked ${i.values.join(',')}`, components: [] });
    });
    const handle = l.selectMenu({ message: menuMessage, customId: 'pick', values: ['b'] });
    expect(await handle.waitForReply()).toMatchObject({ id: menuMessage.id, content: 'picked b' });
    await picked;
    expect(() => l.selectMenu({ message: menuMessage, customId: 'pick', values: ['zzz'] })).toThrow(/no select "pick"/);
  });

  it('shows a modal and delivers its submission', async () => {
    const l = await start();
    const client = await connect(l);
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) {
        const modal = new ModalBuilder().setCustomId('take').setTitle('Your take');
        modal.addLabelComponents((label) => label.setLabel('Take').setTextInputComponent((input) => input.setCustomId('text').setStyle(TextInputStyle.Paragraph)));
        void i.showModal(modal);
      } else if (i.isModalSubmit()) {
        void i.reply({ content: `got: ${i.fields.getTextInputValue('text')}`, flags: MessageFlags.Ephemeral });
      }
    });
    const command = l.sendCommand({ name: 'take' });
    expect(await command.response()).toMatchObject({ type: 9, data: { custom_id: 'take', title: 'Your take' } });
    expect(() => l.submitModal({ shownBy: command, values: {} })).toThrow(/"text" is required/);
    const reply = await l.submitModal({ shownBy: command, values: { text: 'it is fine' } }).waitForReply();
    expect(reply).toMatchObject({ content: 'got: it is fine', flags: MessageFlags.Ephemeral });
  });

  it('returns autocomplete choices; 26 choices is a violation', async () => {
    const l = await start();
    const client = await connect(l);
    await client.application.commands.set([echoCommand.toJSON()]);
    const choices = (n: number): Array<{ name: string; value: string }> => Array.from({ length: n }, (_, k) => ({ name: `topic ${k}`, value: `t${k}` }));

    const ok = onNextInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      expect(i.options.getFocused(true)).toMatchObject({ name: 'topic', value: 'clim' });
      await i.respond(choices(25));
    });
    const handle = l.sendAutocomplete({ name: 'echo', focused: 'topic', options: { text: 'x', topic: 'clim' } });
    expect(await handle.autocompleteChoices()).toHaveLength(25);
    await ok;

    const tooMany = onNextInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      await i.respond(choices(26));
    });
    l.sendAutocomplete({ name: 'echo', focused: 'topic', options: { topic: '' } });
    await expect(tooMany).rejects.toMatchObject({ code: 50035 });
    expect(l.takeViolations()).toMatchObject([{ code: 50035, errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } }]);
  });
});

describe('loopback Discord: channels, threads, permissions', () => {
  it('creates threads you can post to, and crossposts announcements', async () => {
    const l = await start();
    const client = await connect(l);
    const channel = client.channels.cache.get(l.guilds[0]!.channelId('general'));
    if (channel?.type !== ChannelType.GuildText) throw new Error('general should be a text channel');
    const thread = await channel.threads.create({ name: 'discussion' });
    await thread.send('inside');
    expect(l.messagesIn(thread.id).map((m) => m.content)).toEqual(['inside']);
    const starter = await channel.send('start here');
    const fromMessage = await starter.startThread({ name: 'replies' });
    expect(fromMessage.id).toBe(starter.id);
    await expect(channel.threads.create({ name: '' })).rejects.toMatchObject({ code: 50035 });
    expect(l.takeViolations()).toHaveLength(1);

    const news = client.channels.cache.get(l.guilds[0]!.channelId('announcements'));
    if (news?.type !== ChannelType.GuildAnnouncement) throw new Error('announcements should be an announcement channel');
    const digest = await news.send('daily digest');
    await digest.crosspost();
    expect(l.message(digest.id)?.flags).toBe(MessageFlags.Crossposted);
  });

  it('answers 50013 in a forbidden channel and 10003 after a channel is deleted', async () => {
    const l = await start();
    const client = await connect(l);
    const id = l.guilds[0]!.channelId('general');
    const channel = client.channels.cache.get(id);
    if (!channel?.isSendable()) throw new Error('general should be sendable');
    l.setChannelForbidden(id);
    await expect(channel.send('nope')).rejects.toMatchObject({ code: 50013, status: 403 });
    l.setChannelForbidden(id, false);
    await channel.send('yes');

    const deleted = once(client, Events.ChannelDelete);
    l.deleteChannel(id);
    await deleted;
    await expect(client.rest.post(Routes.channelMessages(id), { body: { content: 'gone' } })).rejects.toMatchObject({ code: 10003, status: 404 });
    expect(l.violations).toEqual([]);
  });

  it('records unhandled routes so a test sees what the bot tried', async () => {
    const l = await start();
    const client = await connect(l);
    await expect(client.rest.get(Routes.guildBans(l.guilds[0]!.id))).rejects.toMatchObject({ status: 404 });
    expect(l.unhandled).toEqual([{ method: 'GET', path: `/guilds/${l.guilds[0]!.id}/bans` }]);
  });

  it('close() leaves no socket, server or timer behind', async () => {
    const handles = (): string[] => process.getActiveResourcesInfo().filter((r) => /TCP|Timeout|Immediate/.test(r)).sort();
    const count = (list: string[]) => list.reduce<Record<string, number>>((n, r) => ({ ...n, [r]: (n[r] ?? 0) + 1 }), {});
    // Earlier tests' sockets and timers may still be winding down: start from a settled baseline.
    let before = handles();
    await vi.waitFor(
      async () => {
        await new Promise((r) => setTimeout(r, 200));
        const now = handles();
        const same = JSON.stringify(now) === JSON.stringify(before);
        before = now;
        expect(same).toBe(true);
      },
      { timeout: 10_000, interval: 0 },
    );
    const l = await start({ heartbeatIntervalMs: 20 });
    const client = await connect(l);
    const replied = onNextInteraction(client, async (i) => (i.isRepliable() ? i.reply('bye') : undefined));
    await l.sendCommand({ name: 'bye' }).waitForReply();
    await replied;
    clients.splice(clients.indexOf(client), 1);
    await client.destroy();
    loop = undefined;
    await l.close();
    // Keep-alive sockets and discord.js timers wind down asynchronously; a loaded machine needs a while.
    await vi.waitFor(
      () => {
        const after = count(handles());
        const base = count(before);
        for (const [kind, n] of Object.entries(after)) expect(n, kind).toBeLessThanOrEqual(base[kind] ?? 0);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('close() rejects if a client is still connected, after closing everything', async () => {
    const l = await start();
    const client = await connect(l);
    clients.splice(clients.indexOf(client), 1);
    loop = undefined;
    // Destroy first in real tests; here the client is destroyed right after to stop its reconnect loop.
    await expect(l.close()).rejects.toThrow(/still connected/);
    await client.destroy();
  });
});
