// The WhatsApp simulator's API for the customer page (agents of the channel's account only):
// the simulated customers of a channel, their chats as WhatsApp shows them, and a composer
// that makes the in-app Graph API deliver a signed Cloud API webhook to the channel, exactly as
// Meta would. The customer can also read the chat (blue ticks) and let the 24-hour window lapse.
import { z } from 'zod';
import type { Deps } from '../../context.js';
import { AppError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/types.js';
import {
  buildWhatsAppEnvelope,
  waContact,
  waMediaMessage,
  waTextMessage,
  waUnsupportedMessage,
  type WhatsAppInboundMessage,
} from '../fake-graph.js';
import type { ChatMedia } from '../graph/chat-log.js';
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
  type ComposedFile,
} from '../graph/chat-http.js';
import { whatsappSimulator, type WhatsAppSimulatorInstance } from './whatsapp-simulator.js';

const WA_ID = /^\d{7,15}$/;
const customerParams = channelParams.extend({
  waId: z.string().regex(WA_ID, 'must be a WhatsApp id (digits)'),
});
const tags = ['simulator'];

type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

function typeOf(file: ComposedFile, asDocument: boolean): MediaType {
  const type = file.contentType.split(';')[0] ?? '';
  if (asDocument) return 'document';
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type === 'image/webp') return 'sticker';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

interface Built {
  messages: WhatsAppInboundMessage[];
  logged: Array<{ wamid: string; text: string; media: ChatMedia[]; note: string | null }>;
}

function compose(
  instance: WhatsAppSimulatorInstance,
  waId: string,
  text: string,
  files: ComposedFile[],
  options: { voice: boolean; asDocument: boolean; special: string | undefined },
): Built {
  const built: Built = { messages: [], logged: [] };
  const push = (message: WhatsAppInboundMessage, log: Omit<Built['logged'][number], 'wamid'>) => {
    built.messages.push(message);
    built.logged.push({ wamid: message.id, ...log });
  };
  if (options.special === 'unsupported') {
    push(waUnsupportedMessage({ from: waId }), {
      text: '',
      media: [],
      note: 'A message WhatsApp cannot share',
    });
    return built;
  }
  if (options.special === 'location') {
    const message: WhatsAppInboundMessage = {
      ...waTextMessage({ from: waId, body: '' }),
      type: 'location',
    };
    delete message.text;
    Object.assign(message, {
      location: {
        latitude: 52.5163,
        longitude: 13.3777,
        name: 'Pickup point',
        address: 'Pariser Platz 1, Berlin',
      },
    });
    push(message, { text: 'Pickup point\nPariser Platz 1, Berlin', media: [], note: 'Location' });
    return built;
  }
  const types = files.map((file) => typeOf(file, options.asDocument));
  const captionable = types[0] === 'image' || types[0] === 'video' || types[0] === 'document';
  const body = text.trim();
  if (body && !captionable) push(waTextMessage({ from: waId, body }), { text: body, media: [], note: null });
  files.forEach((file, index) => {
    const type = types[index] as MediaType;
    const stored = instance.fake.whatsapp.addMedia(file.bytes, file.contentType);
    const caption = index === 0 && captionable && body ? body : undefined;
    const voice = type === 'audio' && options.voice;
    push(
      waMediaMessage({
        from: waId,
        type,
        media: {
          id: stored.id,
          mime_type: file.contentType,
          sha256: stored.sha256Base64,
          ...(caption ? { caption } : {}),
          ...(type === 'document' ? { filename: file.name } : {}),
          ...(type === 'audio' ? { voice } : {}),
          ...(type === 'sticker' ? { animated: false } : {}),
        },
      }),
      {
        text: caption ?? '',
        media: [
          {
            kind: type,
            contentType: file.contentType,
            size: file.bytes.length,
            name: file.name,
            bytes: file.bytes,
            voice,
            problem: null,
          },
        ],
        note: null,
      },
    );
  });
  return built;
}

export function whatsappSimulatorRoutes(app: App, deps: Deps): void {
  const open = async (accountId: string, channelId: string) => {
    const channel = await simulatorChannel(deps, accountId, channelId, 'whatsapp');
    return { channel, instance: await deps.simulators.instance(whatsappSimulator, channel) };
  };
  const base = (channelId: string) => `/api/simulator/whatsapp/${channelId}`;

  app.get(
    '/api/simulator/whatsapp/:channelId',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customers of a WhatsApp simulator channel',
        params: channelParams,
        response: {
          200: z.object({
            channel: z.object({ id: z.string(), name: z.string(), number: z.string() }),
            customers: z.array(chatCustomerView),
          }),
        },
      },
    },
    async (request) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      return {
        channel: { id: channel.id, name: channel.name, number: `+${instance.displayNumber}` },
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
    '/api/simulator/whatsapp/:channelId/customers',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'A new simulated WhatsApp customer (a fictional number)',
        params: channelParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(60).optional() }),
        response: { 201: chatCustomerView },
      },
    },
    async (request, reply) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      const start = Math.floor(Math.random() * 100);
      const waId = Array.from(
        { length: 100 },
        (_, i) => `1202555${String(100 + ((start + i) % 100)).padStart(4, '0')}`,
      ).find((candidate) => !instance.chats.customer(candidate));
      if (!waId) throw new AppError('conflict', 'Every fictional number is in use.');
      const count = instance.chats.customers().length;
      const customer = instance.chats.addCustomer(
        waId,
        request.body.name ?? fictionalName(count),
        deps.now(),
      );
      const { id, name, lastAt, preview, messages } = customer;
      return reply.status(201).send({ id, name, lastAt, preview, messages });
    },
  );

  app.get(
    '/api/simulator/whatsapp/:channelId/customers/:waId/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: "A simulated customer's WhatsApp chat, as their phone shows it",
        params: customerParams,
        response: { 200: z.object({ messages: z.array(chatMessageView) }) },
      },
    },
    async (request) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      return {
        messages: instance.chats
          .conversation(request.params.waId)
          .map((message) => presentChat(base(channel.id), message)),
      };
    },
  );

  app.post(
    '/api/simulator/whatsapp/:channelId/customers/:waId/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary:
          'The simulated customer writes on WhatsApp (multipart: "text", "media" files, "voice", "document", "special")',
        params: customerParams,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ messages: z.array(chatMessageView) }) },
      },
    },
    async (request, reply) => {
      const { channel, instance } = await open(principalOf(request).accountId, request.params.channelId);
      const composed = await readComposer(request, {
        maxFiles: 10,
        maxFileBytes: 16 * 1024 * 1024,
        maxTextChars: 4096,
      });
      const special = composed.fields.special;
      if (!composed.text.trim() && composed.files.length === 0 && !special) {
        throw new AppError('validation_failed', 'Write something or pick a file.', { field: 'text' });
      }
      const waId = request.params.waId;
      const customer = instance.chats.addCustomer(
        waId,
        fictionalName(instance.chats.customers().length),
        deps.now(),
      );
      const built = compose(instance, waId, composed.text, composed.files, {
        voice: composed.fields.voice === '1',
        asDocument: composed.fields.document === '1',
        special,
      });
      instance.fake.controls.setWhatsAppWindow(waId, 'open');
      const at = deps.now();
      const logged = built.logged.map((item) =>
        instance.chats.record({
          customer: waId,
          direction: 'to-helpdesk',
          providerId: item.wamid,
          text: item.text,
          media: item.media,
          card: null,
          note: item.note,
          status: 'sent',
          error: null,
          at,
        }),
      );
      const envelope = buildWhatsAppEnvelope(instance.fake.whatsappAccount, {
        contacts: [waContact(waId, customer.name)],
        messages: built.messages,
      });
      const delivery = await instance.fake.deliverWhatsApp(instance.webhookUrl, envelope);
      const status = delivery.response?.status ?? 0;
      for (const message of logged) message.status = status === 200 ? 'delivered' : 'failed';
      if (status !== 200) {
        request.log.warn(
          { channelId: channel.id, status, error: delivery.error },
          'the helpdesk refused a simulated WhatsApp webhook',
        );
        throw new AppError(
          'channel_unavailable',
          `The helpdesk answered the simulated WhatsApp webhook with ${status || delivery.error}.`,
        );
      }
      return reply
        .status(201)
        .send({ messages: logged.map((message) => presentChat(base(channel.id), message)) });
    },
  );

  app.post(
    '/api/simulator/whatsapp/:channelId/customers/:waId/read',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customer reads the chat: delivered replies become read (blue ticks)',
        params: customerParams,
        response: { 200: z.object({ read: z.number() }) },
      },
    },
    async (request) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      const unread = instance.chats
        .conversation(request.params.waId)
        .filter((message) => message.direction === 'to-customer' && message.status === 'delivered');
      for (const message of unread) {
        await instance.fake.whatsapp.pushStatus(message.providerId, 'read');
        message.status = 'read';
      }
      return { read: unread.length };
    },
  );

  app.post(
    '/api/simulator/whatsapp/:channelId/customers/:waId/window',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'Let the 24-hour window lapse (or open it again) for this customer',
        params: customerParams,
        body: z.strictObject({ state: z.enum(['open', 'closed']) }),
        response: { 200: z.object({ state: z.enum(['open', 'closed']) }) },
      },
    },
    async (request) => {
      const { instance } = await open(principalOf(request).accountId, request.params.channelId);
      instance.fake.controls.setWhatsAppWindow(request.params.waId, request.body.state);
      return { state: request.body.state };
    },
  );

  app.get(
    '/api/simulator/whatsapp/:channelId/media/:messageId/:index',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'One media item of a simulated WhatsApp chat',
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
