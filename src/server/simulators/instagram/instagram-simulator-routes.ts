// The Instagram simulator's API for the customer page (agents of the channel's account only):
// the simulated customers of a channel, their DMs as Instagram shows them, and a composer that
// makes the in-app Graph API deliver a signed webhook to the channel, exactly as Meta would:
// photos and files on expiring CDN links (or links that have already expired), story
// mentions, shared posts and reels, unsupported messages, and unsending.
import { randomInt } from 'node:crypto';
import sharp from 'sharp';
import { z } from 'zod';
import type { Deps } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/types.js';
import {
  buildInstagramEnvelope,
  igMessageEvent,
  newInstagramMid,
  type InstagramAttachment,
  type InstagramMessagingEvent,
} from '../fake-graph.js';
import type { ChatCard, ChatMedia, ChatMediaKind } from '../graph/chat-log.js';
import {
  channelParams,
  chatCustomerView,
  chatMessageView,
  fictionalName,
  mediaParams,
  presentChat,
  readComposer,
  sendChatMedia,
  simulatorChannel,
} from '../graph/chat-http.js';
import { instagramSimulator, type InstagramSimulatorInstance } from './instagram-simulator.js';

const IGSID = /^\d{10,20}$/;
const customerParams = channelParams.extend({
  igsid: z.string().regex(IGSID, 'must be an Instagram-scoped id'),
});
const messageParams = customerParams.extend({ messageId: z.string().max(32) });
const tags = ['simulator'];
const SPECIALS = ['story_mention', 'share', 'ig_reel', 'unsupported', 'expired'] as const;
const STORY_TTL_MS = 24 * 60 * 60 * 1000;

const handleOf = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[^\w\s]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '.');

const sendTypeOf = (contentType: string): 'image' | 'video' | 'audio' | 'file' =>
  contentType.startsWith('image/')
    ? 'image'
    : contentType.startsWith('video/')
      ? 'video'
      : contentType.startsWith('audio/')
        ? 'audio'
        : 'file';

/** A story picture when the customer mentions the business without picking one. */
const storyPicture = (): Promise<Buffer> =>
  sharp({ create: { width: 360, height: 640, channels: 3, background: '#c13584' } })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="640"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#feda75"/><stop offset="0.5" stop-color="#d62976"/><stop offset="1" stop-color="#4f5bd5"/></linearGradient></defs><rect width="360" height="640" fill="url(#g)"/><text x="180" y="330" font-size="34" text-anchor="middle" fill="#fff" font-family="sans-serif">@switchboard</text></svg>',
        ),
      },
    ])
    .jpeg({ quality: 80 })
    .toBuffer();

interface Logged {
  mid: string;
  text: string;
  media: ChatMedia[];
  card: ChatCard | null;
  note: string | null;
}

export function instagramSimulatorRoutes(app: App, deps: Deps): void {
  const open = async (accountId: string, channelId: string) => {
    const channel = await simulatorChannel(deps, accountId, channelId, 'instagram');
    return { channel, instance: await deps.simulators.instance(instagramSimulator, channel) };
  };
  const base = (channelId: string) => `/api/simulator/instagram/${channelId}`;

  async function deliver(
    instance: InstagramSimulatorInstance,
    events: InstagramMessagingEvent[],
  ): Promise<number> {
    const envelope = buildInstagramEnvelope(instance.fake.igAccountId, events, deps.now());
    const delivery = await instance.fake.deliverInstagram(instance.webhookUrl, envelope);
    return delivery.response?.status ?? 0;
  }

  app.get(
    '/api/simulator/instagram/:channelId',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customers of an Instagram simulator channel',
        params: channelParams,
        response: {
          200: z.object({
            channel: z.object({ id: z.string(), name: z.string(), handle: z.string() }),
            customers: z.array(chatCustomerView),
          }),
        },
      },
    },
    async (request) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      return {
        channel: { id: channel.id, name: channel.name, handle: instance.handle },
        customers: instance.chats.customers().map(({ id, name, lastAt, preview, messages }) => ({
          id,
          name,
          lastAt,
          preview,
          messages,
        })),
      };
    },
  );

  app.post(
    '/api/simulator/instagram/:channelId/customers',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'A new simulated Instagram customer',
        params: channelParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(60).optional() }),
        response: { 201: chatCustomerView },
      },
    },
    async (request, reply) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      const igsid = `${randomInt(1, 10)}${String(randomInt(0, 2 ** 47)).padStart(15, '0')}`;
      const name =
        handleOf(request.body.name ?? fictionalName(instance.chats.customers().length)) || 'customer';
      const customer = instance.chats.addCustomer(igsid, name, deps.now());
      const { id, lastAt, preview, messages } = customer;
      return reply.status(201).send({ id, name: customer.name, lastAt, preview, messages });
    },
  );

  app.get(
    '/api/simulator/instagram/:channelId/customers/:igsid/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: "A simulated customer's Instagram DMs, as their app shows them",
        params: customerParams,
        response: { 200: z.object({ messages: z.array(chatMessageView) }) },
      },
    },
    async (request) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      return {
        messages: instance.chats
          .conversation(request.params.igsid)
          .map((message) => presentChat(base(channel.id), message)),
      };
    },
  );

  app.post(
    '/api/simulator/instagram/:channelId/customers/:igsid/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary:
          'The simulated customer writes on Instagram (multipart: "text", "media" files, "special": story_mention, share, ig_reel, unsupported, expired)',
        params: customerParams,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ messages: z.array(chatMessageView) }) },
      },
    },
    async (request, reply) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      const composed = await readComposer(request, {
        maxFiles: 10,
        maxFileBytes: 25 * 1024 * 1024,
        maxTextChars: 1000,
      });
      const special = SPECIALS.find((item) => item === composed.fields.special);
      if (!composed.text.trim() && composed.files.length === 0 && !special) {
        throw new AppError('validation_failed', 'Write something or pick a file.', { field: 'text' });
      }
      const igsid = request.params.igsid;
      instance.chats.addCustomer(
        igsid,
        handleOf(fictionalName(instance.chats.customers().length)),
        deps.now(),
      );
      const account = instance.fake.igAccountId;
      const events: InstagramMessagingEvent[] = [];
      const logged: Logged[] = [];
      const push = (
        message: { text?: string; attachments?: InstagramAttachment[]; is_unsupported?: boolean },
        log: Omit<Logged, 'mid'>,
      ) => {
        const mid = newInstagramMid(account);
        events.push(
          igMessageEvent({
            senderId: igsid,
            recipientId: account,
            at: deps.now(),
            message: { mid, ...message },
          }),
        );
        logged.push({ mid, ...log });
      };
      if (special === 'story_mention') {
        const picked = composed.files.find((file) => file.contentType.startsWith('image/'));
        const bytes = picked?.bytes ?? (await storyPicture());
        const hosted = instance.fake.instagram.addCdnMedia({
          bytes,
          contentType: picked?.contentType ?? 'image/jpeg',
          expiresInMs: STORY_TTL_MS,
        });
        push(
          { attachments: [{ type: 'story_mention', payload: { url: hosted.url } }] },
          {
            text: '',
            media: [
              {
                kind: 'image',
                contentType: picked?.contentType ?? 'image/jpeg',
                size: bytes.length,
                name: null,
                bytes,
                voice: false,
                problem: null,
              },
            ],
            card: null,
            note: `Mentioned @${instance.handle} in a story`,
          },
        );
      } else if (special === 'share' || special === 'ig_reel') {
        const url =
          special === 'share'
            ? 'https://www.instagram.com/p/C0ffeeSh4re/'
            : 'https://www.instagram.com/reel/C0ffeeRee1/';
        const title = special === 'share' ? 'New arrivals: linen shirts' : 'How we pack your order';
        push(
          { attachments: [{ type: special, payload: { url, title } }] },
          { text: '', media: [], card: { kind: special, url, title }, note: null },
        );
      } else if (special === 'unsupported') {
        push(
          { is_unsupported: true },
          { text: '', media: [], card: null, note: 'A message Instagram does not share with apps' },
        );
      }
      if (special !== 'story_mention') {
        for (const file of composed.files) {
          const type = sendTypeOf(file.contentType);
          const hosted = instance.fake.instagram.addCdnMedia({
            bytes: file.bytes,
            contentType: file.contentType,
            ...(special === 'expired' ? { expiresInMs: 0 } : {}),
          });
          const kind: ChatMediaKind = type;
          push(
            { attachments: [{ type, payload: { url: hosted.url } }] },
            {
              text: '',
              media: [
                {
                  kind,
                  contentType: file.contentType,
                  size: file.bytes.length,
                  name: file.name,
                  bytes: file.bytes,
                  voice: false,
                  problem: null,
                },
              ],
              card: null,
              note:
                special === 'expired' ? 'Its link had already expired when it reached the helpdesk' : null,
            },
          );
        }
      }
      const text = composed.text.trim();
      if (text) push({ text }, { text, media: [], card: null, note: null });
      instance.fake.controls.setInstagramWindow(igsid, 'open');
      const at = deps.now();
      const recorded = logged.map((item) =>
        instance.chats.record({
          customer: igsid,
          direction: 'to-helpdesk',
          providerId: item.mid,
          text: item.text,
          media: item.media,
          card: item.card,
          note: item.note,
          status: 'sent',
          error: null,
          at,
        }),
      );
      const status = await deliver(instance, events);
      for (const message of recorded) message.status = status === 200 ? 'delivered' : 'failed';
      if (status !== 200) {
        request.log.warn(
          { channelId: channel.id, status },
          'the helpdesk refused a simulated Instagram webhook',
        );
        throw new AppError(
          'channel_unavailable',
          `The helpdesk answered the simulated Instagram webhook with ${status}.`,
        );
      }
      return reply
        .status(201)
        .send({ messages: recorded.map((message) => presentChat(base(channel.id), message)) });
    },
  );

  app.post(
    '/api/simulator/instagram/:channelId/customers/:igsid/messages/:messageId/unsend',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customer unsends one of their messages',
        params: messageParams,
        response: { 200: chatMessageView },
      },
    },
    async (request) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      const message = instance.chats.find(request.params.messageId);
      if (!message || message.customer !== request.params.igsid || message.direction !== 'to-helpdesk') {
        throw notFound('The message');
      }
      const status = await deliver(instance, [
        igMessageEvent({
          senderId: request.params.igsid,
          recipientId: instance.fake.igAccountId,
          at: deps.now(),
          message: { mid: message.providerId, is_deleted: true },
        }),
      ]);
      if (status !== 200) throw new AppError('channel_unavailable', `The helpdesk answered with ${status}.`);
      message.status = 'unsent';
      message.note = 'You unsent a message';
      return presentChat(base(channel.id), message);
    },
  );

  app.post(
    '/api/simulator/instagram/:channelId/customers/:igsid/window',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'Let the 24-hour window lapse (human-agent: only HUMAN_AGENT replies pass; closed: none)',
        params: customerParams,
        body: z.strictObject({ state: z.enum(['open', 'human-agent', 'closed']) }),
        response: { 200: z.object({ state: z.enum(['open', 'human-agent', 'closed']) }) },
      },
    },
    async (request) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      instance.fake.controls.setInstagramWindow(request.params.igsid, request.body.state);
      return { state: request.body.state };
    },
  );

  app.get(
    '/api/simulator/instagram/:channelId/media/:messageId/:index',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'One media item of a simulated Instagram chat',
        params: mediaParams,
        hide: true,
      },
    },
    async (request, reply) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      return sendChatMedia(reply, instance.chats, request.params.messageId, request.params.index);
    },
  );
}
