// Provider webhooks: the raw bytes go to the channel's adapter (signatures are computed over
// them), and what it parses is applied before we answer, so an acknowledged event is stored.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adapterDeps } from '../../channels/adapter-deps.js';
import type { WebhookRequest } from '../../channels/adapter.js';
import type { Deps } from '../../context.js';
import { setChannelHealth, toChannelRecord } from '../../domain/channels.js';
import { applyOrDeferStatus } from '../../domain/delivery-status.js';
import { ingestMessage, markDeleted } from '../../domain/inbound.js';
import { AppError } from '../../errors.js';
import type { App } from '../types.js';

const WEBHOOK_BODY_LIMIT = 40 * 1024 * 1024;

export function webhookRoutes(app: App, deps: Deps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    const handler = async (
      request: FastifyRequest<{
        Params: { kind: string; channelId: string; '*'?: string };
      }>,
      reply: FastifyReply,
    ) => {
      const { kind, channelId } = request.params;
      const row = await deps.db
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', channelId)
        .where('deletedAt', 'is', null)
        .executeTakeFirst();
      const adapter = row && row.kind === kind ? deps.channels.get(row.kind) : undefined;
      if (!row || !adapter?.handleWebhook)
        throw new AppError('not_found', 'No channel listens at this address.');
      const channel = toChannelRecord(row);
      const webhook: WebhookRequest = {
        method: request.method === 'GET' ? 'GET' : 'POST',
        subPath: request.params['*'] ?? '',
        publicUrl: `${deps.config.publicUrl}${request.url}`,
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : value,
          ]),
        ),
        query: Object.fromEntries(
          Object.entries(request.query as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        ),
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      };
      const log = request.log.child({ channelId, kind });
      const outcome = await adapter.handleWebhook(webhook, channel, adapterDeps(deps, row.kind));
      for (const event of outcome.events) {
        if (event.type === 'message') {
          const result = await ingestMessage(deps, channel, event);
          log.info(
            {
              providerMessageId: event.providerMessageId,
              duplicate: result.duplicate,
              attachments: event.attachments.length,
            },
            'inbound message',
          );
        } else if (event.type === 'status') {
          const outcome = await applyOrDeferStatus(deps, channel, event);
          if (outcome === 'deferred')
            log.info(
              { providerMessageId: event.providerMessageId, status: event.status },
              'status for a message not recorded yet; it will be applied again shortly',
            );
        } else if (event.type === 'deleted') {
          await markDeleted(deps, channel, event);
        } else {
          await setChannelHealth(deps, channel.id, event.health, event.reason ?? null);
        }
      }
      void reply.status(outcome.response.status);
      if (outcome.response.contentType) void reply.type(outcome.response.contentType);
      return reply.send(outcome.response.body ?? '');
    };

    const params = z.object({
      kind: z.string().max(20),
      channelId: z.string().max(64),
      '*': z.string().max(100).optional(),
    });
    for (const url of ['/webhooks/:kind/:channelId', '/webhooks/:kind/:channelId/*']) {
      scope.route({
        method: ['GET', 'POST'],
        url,
        config: { auth: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: "A provider's webhook, routed to the channel's adapter",
          params,
          hide: url.endsWith('*'),
        },
        handler,
      });
    }
  });
}
