// The SMS simulator's API for the customer page (agents of the channel's account only): the
// simulated customers of a channel, their conversations as their phone shows them, and a
// composer that makes the in-app Twilio deliver a signed webhook to the channel, exactly as
// Twilio would.
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { smsWebhookUrl } from '../../channels/sms/sms-adapter.js';
import { describeTwilioError } from '../../channels/sms/twilio-errors.js';
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { AppError, notFound } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/types.js';
import { isSafeInline } from '../../media/sniff.js';
import type { HandsetMessage } from './handset.js';
import { smsSimulator, type SmsSimulatorInstance } from './sms-simulator.js';

const MAX_MEDIA = 10;
const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
const E164 = /^\+[1-9]\d{6,14}$/;

const channelParams = z.object({ channelId: z.string().max(64) });
const customerParams = channelParams.extend({ phone: z.string().regex(E164, 'must be an E.164 number') });
const mediaParams = channelParams.extend({
  messageId: z.string().max(32),
  index: z.coerce.number().int().min(0).max(MAX_MEDIA),
});

/** Fictional numbers (reserved for drama) for new simulated customers, by country. */
const FICTIONAL: Record<'US' | 'CA' | 'GB', (n: number) => string> = {
  US: (n) => `+1202555${String(100 + (n % 100)).padStart(4, '0')}`,
  CA: (n) => `+1613555${String(100 + (n % 100)).padStart(4, '0')}`,
  GB: (n) => `+447700900${String(n % 1000).padStart(3, '0')}`,
};

const mediaView = z.object({
  url: z.string().nullable(),
  contentType: z.string(),
  size: z.number(),
  pending: z.boolean(),
  problem: z.string().nullable(),
});
const messageView = z.object({
  id: z.string(),
  direction: z.enum(['to-helpdesk', 'to-customer']),
  body: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  convertedToSms: z.boolean(),
  at: z.number(),
  media: z.array(mediaView),
});
const customerView = z.object({
  phone: z.string(),
  lastAt: z.number(),
  preview: z.string(),
  messages: z.number(),
});

async function simulatorOf(
  deps: Deps,
  accountId: string,
  channelId: string,
): Promise<{ instance: SmsSimulatorInstance; channel: { id: string; name: string } }> {
  const row = await deps.db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row || row.kind !== 'sms' || row.simulator !== 1) throw notFound('The SMS simulator channel');
  const channel = toChannelRecord(row);
  return { instance: await deps.simulators.instance(smsSimulator, channel), channel };
}

function present(channelId: string, message: HandsetMessage): z.infer<typeof messageView> {
  return {
    id: message.id,
    direction: message.direction,
    body: message.body,
    status: message.status,
    error: message.errorCode === null ? null : describeTwilioError(message.errorCode).text,
    convertedToSms: message.convertedToSms,
    at: message.at,
    media: message.media.map((item, index) => ({
      url: item.bytes ? `/api/simulator/sms/${channelId}/media/${message.id}/${index}` : null,
      contentType: item.contentType,
      size: item.size,
      pending: !item.bytes && item.problem === null,
      problem: item.problem,
    })),
  };
}

interface Composed {
  body: string;
  media: Array<{ bytes: Buffer; contentType: string }>;
}

async function readComposer(request: FastifyRequest): Promise<Composed> {
  if (!request.isMultipart()) {
    throw new AppError('bad_request', 'Send the message as multipart/form-data ("body" and "media" parts).');
  }
  const composed: Composed = { body: '', media: [] };
  let total = 0;
  for await (const part of request.parts({ limits: { fileSize: MAX_MEDIA_BYTES, files: MAX_MEDIA + 1 } })) {
    if (part.type === 'field') {
      if (part.fieldname === 'body') composed.body = String(part.value ?? '');
      continue;
    }
    if (part.fieldname !== 'media' || composed.media.length >= MAX_MEDIA) {
      part.file.resume();
      throw new AppError(
        'validation_failed',
        `A text message carries at most ${MAX_MEDIA} photos or files.`,
        {
          field: 'media',
        },
      );
    }
    const bytes = await part.toBuffer();
    total += bytes.length;
    if (part.file.truncated || total > MAX_MEDIA_BYTES) {
      throw new AppError('payload_too_large', 'Carriers deliver at most 5 MB of media in one message.');
    }
    const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
    const declared =
      part.mimetype && part.mimetype !== 'application/octet-stream' ? part.mimetype : undefined;
    composed.media.push({ bytes, contentType: sniffed ?? declared ?? 'application/octet-stream' });
  }
  if (composed.body.length > 1600) {
    throw new AppError('validation_failed', 'A text message carries at most 1,600 characters.', {
      field: 'body',
    });
  }
  if (!composed.body.trim() && composed.media.length === 0) {
    throw new AppError('validation_failed', 'Write something or pick a photo.', { field: 'body' });
  }
  return composed;
}

export function smsSimulatorRoutes(app: App, deps: Deps): void {
  const tags = ['simulator'];

  app.get(
    '/api/simulator/sms/:channelId',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customers of an SMS simulator channel',
        params: channelParams,
        response: {
          200: z.object({
            channel: z.object({ id: z.string(), name: z.string(), number: z.string() }),
            customers: z.array(customerView),
          }),
        },
      },
    },
    async (request) => {
      const { instance, channel } = await simulatorOf(
        deps,
        principalOf(request).accountId,
        request.params.channelId,
      );
      return {
        channel: { id: channel.id, name: channel.name, number: instance.number },
        customers: instance.handset.customers().map(({ phone, lastAt, preview, messages }) => ({
          phone,
          lastAt,
          preview,
          messages,
        })),
      };
    },
  );

  app.post(
    '/api/simulator/sms/:channelId/customers',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'A new simulated customer (a fictional number)',
        params: channelParams,
        body: z.strictObject({
          country: z.enum(['US', 'CA', 'GB']).default('US'),
          phone: z.string().optional(),
        }),
        response: { 201: customerView },
      },
    },
    async (request, reply) => {
      const { instance } = await simulatorOf(deps, principalOf(request).accountId, request.params.channelId);
      let phone = request.body.phone?.replace(/[\s().-]/g, '');
      if (phone !== undefined && !E164.test(phone)) {
        throw new AppError('validation_failed', 'phone must be an E.164 number such as +12025550123.', {
          field: 'phone',
        });
      }
      if (!phone) {
        const make = FICTIONAL[request.body.country];
        const start = Math.floor(Math.random() * 1000);
        const free = Array.from({ length: 1000 }, (_, i) => make(start + i)).find(
          (candidate) => !instance.handset.hasCustomer(candidate),
        );
        if (!free) throw new AppError('conflict', 'Every fictional number of this country is in use.');
        phone = free;
      }
      const customer = instance.handset.addCustomer(phone, deps.now());
      return reply.status(201).send({
        phone: customer.phone,
        lastAt: customer.lastAt,
        preview: customer.preview,
        messages: customer.messages,
      });
    },
  );

  app.get(
    '/api/simulator/sms/:channelId/customers/:phone/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: "A simulated customer's conversation, as their phone shows it",
        params: customerParams,
        response: { 200: z.object({ messages: z.array(messageView) }) },
      },
    },
    async (request) => {
      const { instance, channel } = await simulatorOf(
        deps,
        principalOf(request).accountId,
        request.params.channelId,
      );
      return {
        messages: instance.handset
          .conversation(request.params.phone)
          .map((message) => present(channel.id, message)),
      };
    },
  );

  app.post(
    '/api/simulator/sms/:channelId/customers/:phone/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customer texts the helpdesk (multipart: "body", "media" files)',
        params: customerParams,
        consumes: ['multipart/form-data'],
        response: { 201: messageView },
      },
    },
    async (request, reply) => {
      const { instance, channel } = await simulatorOf(
        deps,
        principalOf(request).accountId,
        request.params.channelId,
      );
      const composed = await readComposer(request);
      const phone = request.params.phone;
      instance.handset.addCustomer(phone, deps.now());
      const at = deps.now();
      const result = await instance.fake.sendInbound({
        webhookUrl: smsWebhookUrl(deps.config.publicUrl, channel.id),
        from: phone,
        to: instance.number,
        body: composed.body,
        media: composed.media,
      });
      const message = instance.handset.recordInbound({
        customer: phone,
        sid: result.messageSid,
        body: composed.body,
        media: composed.media,
        at,
      });
      if (result.response.status !== 200) {
        message.status = 'failed';
        request.log.warn(
          { channelId: channel.id, status: result.response.status, body: result.response.body.slice(0, 300) },
          'the helpdesk refused a simulated text',
        );
        throw new AppError(
          'channel_unavailable',
          `The helpdesk answered the simulated Twilio webhook with ${result.response.status}.`,
        );
      }
      return reply.status(201).send(present(channel.id, message));
    },
  );

  app.get(
    '/api/simulator/sms/:channelId/media/:messageId/:index',
    {
      config: { auth: 'agent' },
      schema: { tags, summary: 'One media item on a simulated handset', params: mediaParams, hide: true },
    },
    async (request, reply) => {
      const { instance } = await simulatorOf(deps, principalOf(request).accountId, request.params.channelId);
      const item = instance.handset.find(request.params.messageId)?.media[request.params.index];
      if (!item?.bytes) throw notFound('The media item');
      const inline = isSafeInline(item.contentType);
      return reply
        .header('Content-Type', item.contentType)
        .header('Content-Length', String(item.bytes.length))
        .header('Content-Disposition', inline ? 'inline' : 'attachment')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('Cache-Control', 'private, max-age=3600')
        .send(item.bytes);
    },
  );
}
