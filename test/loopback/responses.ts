/**
 * How the bot answers interactions: the callback endpoint (3 s window, acknowledged once) and the
 * interaction webhook (`@original`, follow-ups; token valid 15 min). These authenticate by interaction
 * token, not by bot token, exactly like discord.js calls them (`auth: false`).
 */
import { InteractionResponseType as R, InteractionType, MessageType, type APIMessage } from 'discord-api-types/v10';
import type { Gateway } from './gateway.js';
import type { InteractionState, Interactions } from './interactions.js';
import type { RequestContext, Reply, Router } from './server.js';
import type { LoopbackState } from './state.js';
import { ApiError, isRecord, num, unknownMessage } from './util.js';
import { FLAG_EPHEMERAL, FLAG_LOADING, FormErrors, validateAutocompleteChoices, validateModal } from './validate.js';

const CALLBACK_WINDOW_MS = 3_000;
const TOKEN_LIFETIME_MS = 15 * 60_000;

const ALLOWED: Record<InteractionType, readonly R[]> = {
  [InteractionType.Ping]: [R.Pong],
  [InteractionType.ApplicationCommand]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal],
  [InteractionType.MessageComponent]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage, R.Modal],
  [InteractionType.ApplicationCommandAutocomplete]: [R.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage],
};

const unknownInteraction = (): ApiError => new ApiError(404, 10062, 'Unknown interaction');
const unknownWebhook = (): ApiError => new ApiError(404, 10015, 'Unknown Webhook');

export function registerResponseRoutes(router: Router, { state, gateway, interactions }: { state: LoopbackState; gateway: Gateway; interactions: Interactions }): void {
  const sourceMessage = (rec: InteractionState): APIMessage => {
    const message = state.messages.get(rec.sourceMessageId ?? '');
    if (!message) throw unknownMessage();
    return message;
  };

  router.add('POST', '/interactions/:id/:token/callback', (ctx) => {
    const rec = interactions.byId.get(ctx.param('id'));
    if (!rec || rec.token !== ctx.param('token') || state.now() - rec.createdAt > CALLBACK_WINDOW_MS) throw unknownInteraction();
    if (rec.callback) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const type = num(ctx.fields.type);
    const data = isRecord(ctx.fields.data) ? ctx.fields.data : {};
    const allowed = ALLOWED[rec.type].filter((t) => rec.sourceMessageId !== undefined || (t !== R.DeferredMessageUpdate && t !== R.UpdateMessage));
    if (type === undefined || !allowed.includes(type)) {
      const errors = new FormErrors();
      errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
      errors.throwIfAny();
    }
    let message: APIMessage | undefined;
    switch (type) {
      case R.ChannelMessageWithSource:
        message = state.writeMessage(data, ctx.files, { channelId: rec.channelId, extra: rec.messageExtra, errorBase: ['data'] });
        gateway.messageEvent('MESSAGE_CREATE', message);
        break;
      case R.DeferredChannelMessageWithSource:
        // The "<bot> is thinking…" placeholder the user sees until the bot edits @original.
        message = state.blankMessage(rec.channelId, { ...rec.messageExtra, flags: FLAG_LOADING | ((num(data.flags) ?? 0) & FLAG_EPHEMERAL) });
        gateway.messageEvent('MESSAGE_CREATE', message);
        break;
      case R.DeferredMessageUpdate:
        message = sourceMessage(rec);
        break;
      case R.UpdateMessage: {
        const existing = sourceMessage(rec);
        message = state.writeMessage(data, ctx.files, { channelId: existing.channel_id, existing, errorBase: ['data'] });
        gateway.messageEvent('MESSAGE_UPDATE', message);
        break;
      }
      case R.ApplicationCommandAutocompleteResult:
        validateAutocompleteChoices(data);
        break;
      case R.Modal:
        validateModal(data);
        break;
    }
    if (message) rec.originalId = message.id;
    rec.callback = { type: type ?? R.Pong, data };
    state.changed();
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: rec.id, type: rec.type, activity_instance_id: null, response_message_id: message?.id,
          response_message_loading: type === R.DeferredChannelMessageWithSource, response_message_ephemeral: ((message?.flags ?? 0) & FLAG_EPHEMERAL) !== 0,
        },
        resource: { type, ...(message && type !== R.DeferredMessageUpdate ? { message } : {}) },
      },
    };
  }, { auth: false });

  /** The interaction behind a webhook route; Discord's errors for a bad / expired / unacknowledged token. */
  const webhookOf = (ctx: RequestContext): InteractionState => {
    if (ctx.param('app') !== state.applicationId) throw unknownWebhook();
    const rec = interactions.byToken.get(ctx.param('token'));
    if (!rec || state.now() - rec.createdAt > TOKEN_LIFETIME_MS) throw new ApiError(401, 50027, 'Invalid Webhook Token');
    if (!rec.callback) throw unknownWebhook();
    return rec;
  };
  const ownMessage = (ctx: RequestContext, rec: InteractionState): APIMessage => {
    const wanted = ctx.param('message');
    const id = wanted === '@original' ? rec.originalId : wanted;
    const message = state.messages.get(id ?? '');
    if (!message || (id !== rec.originalId && !rec.followUpIds.includes(message.id))) throw unknownMessage();
    return message;
  };
  const edit = (ctx: RequestContext, rec: InteractionState, existing: APIMessage): Reply => {
    const message = state.writeMessage(ctx.fields, ctx.files, { channelId: existing.channel_id, existing });
    if (message.id === rec.originalId) rec.originalEdits++;
    state.changed();
    gateway.messageEvent('MESSAGE_UPDATE', message);
    return { status: 200, body: message };
  };

  router.add('GET', '/webhooks/:app/:token/messages/:message', (ctx) => ({ status: 200, body: ownMessage(ctx, webhookOf(ctx)) }), { auth: false });
  router.add('PATCH', '/webhooks/:app/:token/messages/:message', (ctx) => {
    const rec = webhookOf(ctx);
    return edit(ctx, rec, ownMessage(ctx, rec));
  }, { auth: false });
  router.add('DELETE', '/webhooks/:app/:token/messages/:message', (ctx) => {
    const message = ownMessage(ctx, webhookOf(ctx));
    state.deleteMessage(message.id);
    gateway.messageDeleted(message);
    return { status: 204 };
  }, { auth: false });
  router.add('POST', '/webhooks/:app/:token', (ctx) => {
    const rec = webhookOf(ctx);
    const original = state.messages.get(rec.originalId ?? '');
    let reply: Reply;
    if (original && ((original.flags ?? 0) & FLAG_LOADING) !== 0) {
      // Discord turns the first follow-up after a deferred reply into that reply.
      reply = edit(ctx, rec, original);
    } else {
      const metadata = rec.messageExtra.interaction_metadata;
      const extra = { ...rec.messageExtra, type: MessageType.Default, ...(metadata && rec.originalId ? { interaction_metadata: { ...metadata, original_response_message_id: rec.originalId } } : {}) };
      const message = state.writeMessage(ctx.fields, ctx.files, { channelId: rec.channelId, extra });
      rec.followUpIds.push(message.id);
      state.changed();
      gateway.messageEvent('MESSAGE_CREATE', message);
      reply = { status: 200, body: message };
    }
    // Like Discord, the created message is only returned with ?wait=true (discord.js always sets it).
    return ctx.query.get('wait') === 'true' ? reply : { status: 204 };
  }, { auth: false });
}
