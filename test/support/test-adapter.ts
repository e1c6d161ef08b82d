// A channel adapter with a tiny contract of its own, for testing the core's seam: JSON
// webhooks signed with HMAC-SHA256, media fetched from plain URLs, sends recorded in memory.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { ChannelKind } from '../../src/shared/api-schemas.js';
import type { ProviderError } from '../../src/server/channels/adapter.js';
import {
  type ChannelAdapter,
  type InboundEvent,
  type OutboundMessage,
} from '../../src/server/channels/adapter.js';
import { AppError } from '../../src/server/errors.js';
import { PermanentJobError } from '../../src/server/infra/queue/job.js';

export const testWebhookSchema = z.object({
  events: z.array(
    z.union([
      z.object({
        type: z.literal('message'),
        id: z.string(),
        from: z.string(),
        name: z.string().optional(),
        text: z.string().default(''),
        media: z
          .array(z.object({ url: z.string(), type: z.string().optional(), name: z.string().optional() }))
          .default([]),
      }),
      z.object({
        type: z.literal('status'),
        id: z.string(),
        status: z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']),
        errorCode: z.string().optional(),
      }),
    ]),
  ),
});

export interface SentRecord {
  message: OutboundMessage;
  channelId: string;
  providerIds: string[];
}

export interface TestAdapterControl {
  sent: SentRecord[];
  /** The next sends throw this (consumed one per send). */
  failures: ProviderError[];
  /** Provider messages per part: how many parts a message becomes (default: one per attachment, at least one). */
  partsOf(message: OutboundMessage): number;
}

export const signTest = (secret: string, body: string | Buffer): string =>
  createHmac('sha256', secret).update(body).digest('hex');

export function createTestAdapter(kind: ChannelKind): {
  adapter: ChannelAdapter;
  control: TestAdapterControl;
} {
  const control: TestAdapterControl = {
    sent: [],
    failures: [],
    partsOf: (message) => Math.max(1, message.attachments.length),
  };
  let counter = 0;
  const adapter: ChannelAdapter = {
    kind,
    configSchema: z.object({ secret: z.string().min(8), label: z.string().optional() }) as z.ZodType<
      Record<string, unknown>
    >,
    secretFields: ['secret'],
    webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/${kind}/${channelId}`,
    async handleWebhook(request, channel) {
      const secret = String(channel.config.secret);
      const given = Buffer.from(request.headers['x-test-signature'] ?? '');
      const expected = Buffer.from(signTest(secret, request.rawBody));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('signature_invalid', 'The webhook signature does not match.');
      }
      const parsed = testWebhookSchema.safeParse(JSON.parse(request.rawBody.toString('utf8')));
      if (!parsed.success)
        throw new AppError('validation_failed', `Malformed webhook: ${parsed.error.issues[0]?.message}`);
      const events: InboundEvent[] = parsed.data.events.map((event) =>
        event.type === 'message'
          ? {
              type: 'message',
              providerMessageId: event.id,
              from: { externalId: event.from, ...(event.name ? { name: event.name } : {}) },
              text: event.text,
              attachments: event.media.map((media) => ({
                source: { url: media.url },
                ...(media.type ? { declaredType: media.type } : {}),
                ...(media.name ? { name: media.name } : {}),
              })),
            }
          : {
              type: 'status',
              providerMessageId: event.id,
              status: event.status,
              ...(event.errorCode
                ? { errorCode: event.errorCode, errorMessage: `Provider error ${event.errorCode}` }
                : {}),
            },
      );
      return { response: { status: 200, contentType: 'text/plain', body: 'ok' }, events };
    },
    async fetchMedia(source) {
      const response = await fetch(String(source.url));
      if (response.status === 404) throw new PermanentJobError('The provider no longer has this file (404).');
      if (!response.ok || !response.body) throw new Error(`The provider answered ${response.status}.`);
      const length = response.headers.get('content-length');
      return {
        stream: Readable.fromWeb(response.body as WebReadableStream),
        ...(response.headers.get('content-type')
          ? { contentType: response.headers.get('content-type') as string }
          : {}),
        ...(length ? { declaredSize: Number(length) } : {}),
      };
    },
    async send(message, channel, _deps, progress) {
      const failure = control.failures.shift();
      if (failure) throw failure;
      const parts = control.partsOf(message);
      const ids: string[] = [];
      for (let part = 0; part < parts; part++) {
        const existing = progress.sent.get(part);
        if (existing) {
          ids.push(existing);
          continue;
        }
        const id = `${kind}-out-${++counter}`;
        await progress.record(part, id, 'sent');
        ids.push(id);
      }
      control.sent.push({ message, channelId: channel.id, providerIds: ids });
      return { providerMessageIds: ids, status: 'sent' };
    },
  };
  return { adapter, control };
}
