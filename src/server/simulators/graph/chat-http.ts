// What the WhatsApp and Instagram customer pages share on the server: finding the simulator
// channel of the agent's account, reading the customer's composer (text, files, options),
// presenting a chat message, and serving the media a chat shows.
import type {} from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import type { ChannelKind } from '../../../shared/api-schemas.js';
import type { ChannelRecord } from '../../channels/adapter.js';
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { AppError, notFound } from '../../errors.js';
import { isSafeInline } from '../../media/sniff.js';
import type { ChatLog, ChatMessage } from './chat-log.js';

export const channelParams = z.object({ channelId: z.string().max(64) });
export const mediaParams = channelParams.extend({
  messageId: z.string().max(32),
  index: z.coerce.number().int().min(0).max(20),
});

export const chatMediaView = z.object({
  kind: z.string(),
  url: z.string().nullable(),
  contentType: z.string(),
  size: z.number(),
  name: z.string().nullable(),
  voice: z.boolean(),
  problem: z.string().nullable(),
});

export const chatMessageView = z.object({
  id: z.string(),
  direction: z.enum(['to-helpdesk', 'to-customer']),
  text: z.string(),
  media: z.array(chatMediaView),
  card: z.object({ kind: z.string(), url: z.string(), title: z.string().optional() }).nullable(),
  note: z.string().nullable(),
  status: z.string(),
  error: z.string().nullable(),
  at: z.number(),
});

export const chatCustomerView = z.object({
  id: z.string(),
  name: z.string(),
  lastAt: z.number(),
  preview: z.string(),
  messages: z.number(),
});

export function presentChat(base: string, message: ChatMessage): z.infer<typeof chatMessageView> {
  return {
    id: message.id,
    direction: message.direction,
    text: message.text,
    media: message.media.map((item, index) => ({
      kind: item.kind,
      url: item.bytes ? `${base}/media/${message.id}/${index}` : null,
      contentType: item.contentType,
      size: item.size,
      name: item.name,
      voice: item.voice,
      problem: item.problem,
    })),
    card: message.card,
    note: message.note,
    status: message.status,
    error: message.error,
    at: message.at,
  };
}

/** The agent's own channel of this kind in simulator mode, or 404. */
export async function simulatorChannel(
  deps: Deps,
  accountId: string,
  channelId: string,
  kind: ChannelKind,
): Promise<ChannelRecord> {
  const row = await deps.db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row || row.kind !== kind || row.simulator !== 1) throw notFound(`The ${kind} simulator channel`);
  return toChannelRecord(row);
}

export interface ComposedFile {
  bytes: Buffer;
  contentType: string;
  name: string;
}

export interface Composed {
  text: string;
  files: ComposedFile[];
  fields: Record<string, string>;
}

export async function readComposer(
  request: FastifyRequest,
  limits: { maxFiles: number; maxFileBytes: number; maxTextChars: number },
): Promise<Composed> {
  if (!request.isMultipart()) {
    throw new AppError('bad_request', 'Send the message as multipart/form-data ("text" and "media" parts).');
  }
  const composed: Composed = { text: '', files: [], fields: {} };
  for await (const part of request.parts({
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles + 1, fields: 10 },
  })) {
    if (part.type === 'field') {
      if (part.fieldname === 'text') composed.text = String(part.value ?? '');
      else composed.fields[part.fieldname] = String(part.value ?? '').slice(0, 200);
      continue;
    }
    if (part.fieldname !== 'media' || composed.files.length >= limits.maxFiles) {
      part.file.resume();
      throw new AppError('validation_failed', `At most ${limits.maxFiles} files at once.`, {
        field: 'media',
      });
    }
    const bytes = await part.toBuffer();
    if (part.file.truncated) {
      throw new AppError(
        'payload_too_large',
        `Files of at most ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB each, please.`,
      );
    }
    const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
    const declared =
      part.mimetype && part.mimetype !== 'application/octet-stream' ? part.mimetype : undefined;
    composed.files.push({
      bytes,
      contentType: sniffed ?? declared ?? 'application/octet-stream',
      name: part.filename || 'file',
    });
  }
  if ([...composed.text].length > limits.maxTextChars) {
    throw new AppError('validation_failed', `A message carries at most ${limits.maxTextChars} characters.`, {
      field: 'text',
    });
  }
  return composed;
}

export async function sendChatMedia(
  reply: FastifyReply,
  chats: ChatLog,
  messageId: string,
  index: number,
): Promise<FastifyReply> {
  const item = chats.find(messageId)?.media[index];
  if (!item?.bytes) throw notFound('The media item');
  const type = item.contentType || 'application/octet-stream';
  return reply
    .header('Content-Type', type)
    .header('Content-Length', String(item.bytes.length))
    .header('Content-Disposition', isSafeInline(type) ? 'inline' : 'attachment')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'private, max-age=3600')
    .send(item.bytes);
}

/** Fictional display names for new simulated customers. */
const NAMES = [
  'Ana Souza',
  'Kwame Mensah',
  'Mei Lin',
  'Lukas Becker',
  'Priya Nair',
  'Sofia Rossi',
  'Omar Haddad',
  'Emma Dubois',
  'Yuki Tanaka',
  'Diego Ramírez',
];

export const fictionalName = (n: number): string => NAMES[n % NAMES.length] as string;
