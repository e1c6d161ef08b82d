// The e-mail simulator's API for the customer page (agents of the channel's account only):
// simulated customers, their mailbox as their mail client shows it, and a composer whose mail
// reaches the helpdesk through the channel's raw-MIME webhook, exactly as a relay would post it.
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import { emailChannel } from '../../channels/email/email-adapter.js';
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { AppError, notFound } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/types.js';
import { isSafeInline } from '../../media/sniff.js';
import { emailSimulator, type EmailSimulatorInstance, type MailboxMessage } from './email-simulator.js';

const MAX_FILES = 10;
const MAX_BYTES = 20 * 1024 * 1024;
const ADDRESS = /^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,}$/i;

const channelParams = z.object({ channelId: z.string().max(64) });
const customerParams = channelParams.extend({
  address: z.string().regex(ADDRESS, 'must be an e-mail address'),
});
const fileParams = channelParams.extend({
  messageId: z.string().max(32),
  index: z.coerce.number().int().min(0).max(200),
});

const messageView = z.object({
  id: z.string(),
  direction: z.enum(['to-helpdesk', 'to-customer']),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  replyTo: z.string().nullable(),
  status: z.enum(['delivered', 'failed']),
  at: z.number(),
  files: z.array(z.object({ name: z.string(), contentType: z.string(), size: z.number(), url: z.string() })),
});
const customerView = z.object({
  address: z.string(),
  lastAt: z.number(),
  preview: z.string(),
  messages: z.number(),
});

const FIRST = ['ana', 'bruno', 'chloe', 'dmitri', 'emeka', 'fatima', 'giulia', 'hiro', 'ines', 'jonas'];

async function simulatorOf(deps: Deps, accountId: string, channelId: string) {
  const row = await deps.db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row || row.kind !== 'email' || row.simulator !== 1) throw notFound('The e-mail simulator channel');
  const channel = emailChannel(toChannelRecord(row));
  const instance: EmailSimulatorInstance = await deps.simulators.instance(emailSimulator, channel);
  return { instance, channel };
}

function present(channelId: string, message: MailboxMessage): z.infer<typeof messageView> {
  return {
    id: message.id,
    direction: message.direction,
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    replyTo: message.replyTo,
    status: message.status,
    at: message.at,
    files: message.files.map((file, index) => ({
      name: file.name,
      contentType: file.contentType,
      size: file.size,
      url: `/api/simulator/email/${channelId}/files/${message.id}/${index}`,
    })),
  };
}

interface Composed {
  subject: string;
  body: string;
  files: Array<{ name: string; bytes: Buffer; contentType: string }>;
}

async function readComposer(request: FastifyRequest): Promise<Composed> {
  if (!request.isMultipart()) throw new AppError('bad_request', 'Send the mail as multipart/form-data.');
  const composed: Composed = { subject: '', body: '', files: [] };
  let total = 0;
  for await (const part of request.parts({ limits: { fileSize: MAX_BYTES, files: MAX_FILES + 1 } })) {
    if (part.type === 'field') {
      if (part.fieldname === 'subject') composed.subject = String(part.value ?? '').slice(0, 200);
      if (part.fieldname === 'body') composed.body = String(part.value ?? '').slice(0, 100_000);
      continue;
    }
    if (composed.files.length >= MAX_FILES) {
      part.file.resume();
      throw new AppError('validation_failed', `Attach at most ${MAX_FILES} files.`, { field: 'files' });
    }
    const bytes = await part.toBuffer();
    total += bytes.length;
    if (part.file.truncated || total > MAX_BYTES)
      throw new AppError('payload_too_large', 'Attach at most 20 MB.');
    composed.files.push({
      name: part.filename || 'file',
      bytes,
      contentType: part.mimetype || 'application/octet-stream',
    });
  }
  if (!composed.body.trim() && composed.files.length === 0)
    throw new AppError('validation_failed', 'Write something or attach a file.', { field: 'body' });
  return composed;
}

export function emailSimulatorRoutes(app: App, deps: Deps): void {
  const tags = ['simulator'];
  app.get(
    '/api/simulator/email/:channelId',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customers of an e-mail simulator channel',
        params: channelParams,
        response: {
          200: z.object({
            channel: z.object({ id: z.string(), name: z.string(), address: z.string() }),
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
        channel: { id: channel.id, name: channel.name, address: instance.address },
        customers: instance.mailbox.customers(),
      };
    },
  );

  app.post(
    '/api/simulator/email/:channelId/customers',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'A new simulated customer (a fictional address)',
        params: channelParams,
        body: z.strictObject({ address: z.string().regex(ADDRESS).optional() }),
        response: { 201: customerView },
      },
    },
    async (request, reply) => {
      const { instance } = await simulatorOf(deps, principalOf(request).accountId, request.params.channelId);
      let address = request.body.address?.toLowerCase();
      for (let n = Math.floor(Math.random() * 1000); !address; n++) {
        const candidate = `${FIRST[n % FIRST.length]}.${100 + (n % 900)}@customer.example`;
        if (!instance.mailbox.hasCustomer(candidate)) address = candidate;
      }
      instance.mailbox.addCustomer(address, deps.now());
      const view = instance.mailbox.customers().find((item) => item.address === address);
      return reply.status(201).send(view ?? { address, lastAt: deps.now(), preview: '', messages: 0 });
    },
  );

  app.get(
    '/api/simulator/email/:channelId/customers/:address/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: "A simulated customer's mailbox, as their mail client shows it",
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
      const address = request.params.address.toLowerCase();
      return {
        messages: instance.mailbox.conversation(address).map((message) => present(channel.id, message)),
      };
    },
  );

  app.post(
    '/api/simulator/email/:channelId/customers/:address/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags,
        summary: 'The simulated customer mails the helpdesk (multipart: "subject", "body", files)',
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
      const secret = channel.config.inbound?.webhookSecret;
      if (!secret)
        throw new AppError(
          'conflict',
          'The simulator channel has no webhook secret (inbound.webhookSecret).',
        );
      const composed = await readComposer(request);
      const customer = request.params.address.toLowerCase();
      const previous = [...instance.mailbox.conversation(customer)]
        .reverse()
        .find((m) => m.direction === 'to-customer');
      const subject =
        composed.subject.trim() ||
        (previous ? `Re: ${previous.subject.replace(/^re:\s*/i, '')}` : '(no subject)');
      const raw = await new MailComposer({
        from: customer,
        to: previous?.replyTo ?? instance.address,
        subject,
        text: composed.body,
        attachments: composed.files.map((file) => ({
          filename: file.name,
          content: file.bytes,
          contentType: file.contentType,
        })),
        ...(previous?.messageId ? { inReplyTo: previous.messageId, references: [previous.messageId] } : {}),
      })
        .compile()
        .build();
      const response = await fetch(`${deps.config.publicUrl}/webhooks/email/${channel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
        body: new Uint8Array(raw),
      });
      const message = instance.mailbox.record({
        direction: 'to-helpdesk',
        customer,
        from: customer,
        to: instance.address,
        subject,
        text: composed.body,
        html: null,
        messageId: null,
        replyTo: null,
        files: composed.files.map((file) => ({ ...file, size: file.bytes.length, inline: false })),
        at: deps.now(),
        status: response.ok ? 'delivered' : 'failed',
      });
      if (!response.ok) {
        throw new AppError(
          'channel_unavailable',
          `The helpdesk answered the simulated relay with ${response.status}.`,
        );
      }
      return reply.status(201).send(present(channel.id, message));
    },
  );

  app.get(
    '/api/simulator/email/:channelId/files/:messageId/:index',
    {
      config: { auth: 'agent' },
      schema: { tags, summary: 'One file in a simulated mailbox', params: fileParams, hide: true },
    },
    async (request, reply) => {
      const { instance } = await simulatorOf(deps, principalOf(request).accountId, request.params.channelId);
      const file = instance.mailbox.find(request.params.messageId)?.files[request.params.index];
      if (!file) throw notFound('The file');
      return reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', isSafeInline(file.contentType) ? 'inline' : 'attachment')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .send(file.bytes);
    },
  );
}
