// The raw-MIME webhook of e-mail channels (SendGrid Inbound Parse in raw mode, Mailgun `mime`
// routes, a relay's HTTP hook): `POST /webhooks/email/:channelId` with the message as the
// body, authenticated with the channel's webhook secret as a Bearer token or as the password
// of Basic auth. The body is streamed to disk, never buffered; the answer comes after the
// message is stored, so a 5xx tells the sender to try again.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { AppError } from '../../errors.js';
import type { App } from '../../http/types.js';
import { emailChannel } from './email-adapter.js';
import { ingestRawEmail } from './ingest-email.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The secret a request presents: `Authorization: Bearer <secret>` or Basic with it as password. */
export function presentedSecret(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  }
  return null;
}

export function emailRoutes(app: App, deps: Deps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The body is left unread here and streamed by the handler from the raw request.
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.withTypeProvider<ZodTypeProvider>().route({
      method: 'POST',
      url: '/webhooks/email/:channelId',
      config: { auth: 'public' },
      schema: {
        tags: ['webhooks'],
        summary: 'Raw MIME for an e-mail channel (Bearer or Basic auth with the channel webhook secret)',
        params: z.object({ channelId: z.string().max(64) }),
      },
      handler: async (request, reply) => {
        const row = await deps.db
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', request.params.channelId)
          .where('kind', '=', 'email')
          .where('deletedAt', 'is', null)
          .executeTakeFirst();
        const channel = row ? emailChannel(toChannelRecord(row)) : null;
        const secret = channel?.config.inbound?.webhookSecret;
        if (!channel || !secret) throw new AppError('not_found', 'No channel listens at this address.');
        const given = presentedSecret(request.headers.authorization);
        if (given === null || !timingSafeEqual(digest(given), digest(secret))) {
          throw new AppError('signature_invalid', 'The webhook secret does not match.');
        }
        const length = Number(request.headers['content-length']);
        const outcome = await ingestRawEmail(deps, channel, {
          stream: request.raw,
          via: 'webhook',
          ...(Number.isFinite(length) ? { declaredSize: length } : {}),
        });
        request.log.info(
          { channelId: channel.id, messageId: outcome.result?.messageId, tooLarge: outcome.tooLarge },
          'inbound e-mail',
        );
        return reply.status(200).send({
          messageId: outcome.result?.messageId ?? null,
          ticketId: outcome.result?.ticketId ?? null,
          duplicate: outcome.result?.duplicate ?? outcome.skipped !== undefined,
          tooLarge: outcome.tooLarge,
        });
      },
    });
  });
}
