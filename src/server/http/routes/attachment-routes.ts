import { z } from 'zod';
import type { Deps } from '../../context.js';
import { findDerivative, getAttachmentRow } from '../../domain/attachments.js';
import { AppError } from '../../errors.js';
import { retryFetch } from '../../media/fetch-media.js';
import { principalOf } from '../auth.js';
import { sendBlob } from '../send-blob.js';
import type { App } from '../types.js';

const idParams = z.object({ id: z.string().max(64) });
const PRIVATE_CACHE = 'private, max-age=86400, immutable';

export function attachmentRoutes(app: App, deps: Deps): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/api/attachments/:id/content',
    config: { auth: 'agent' },
    schema: {
      tags: ['attachments'],
      summary: 'The original bytes (Range, ETag; inline only for safe image, audio, video and PDF types)',
      params: idParams,
      querystring: z.strictObject({
        download: z.enum(['1', 'true']).optional(),
        /** A version the agent app adds after a redaction in place, so caches fetch the new bytes. */
        v: z.string().max(32).optional(),
      }),
    },
    handler: async (request, reply) => {
      const row = await getAttachmentRow(deps, principalOf(request).accountId, request.params.id);
      if (!row.blobKey || row.state === 'deleted') {
        throw new AppError(
          'not_found',
          `"${row.name}" has no stored bytes (${row.stateReason ?? row.state}).`,
        );
      }
      return sendBlob(deps, request, reply, {
        blobKey: row.blobKey,
        size: row.size,
        contentType: row.contentType,
        name: row.name,
        download: request.query.download !== undefined,
        cacheControl: PRIVATE_CACHE,
        redirect: true,
      });
    },
  });

  for (const [variant, summary] of [
    ['thumbnail', 'A WebP thumbnail (long edge 480 px)'],
    ['preview', 'A display-size WebP (long edge 1600 px) of heavy or non-browser images'],
  ] as const) {
    app.route({
      method: ['GET', 'HEAD'],
      url: `/api/attachments/:id/${variant}`,
      config: { auth: 'agent' },
      schema: { tags: ['attachments'], summary, params: idParams },
      handler: async (request, reply) => {
        const { accountId } = principalOf(request);
        const row = await getAttachmentRow(deps, accountId, request.params.id);
        const found =
          row.state === 'deleted' ? undefined : await findDerivative(deps, accountId, row.id, variant);
        if (!found)
          throw new AppError(
            'not_found',
            `"${row.name}" has no ${variant}${row.state === 'processing' ? ' yet' : ''}.`,
          );
        return sendBlob(deps, request, reply, {
          blobKey: found.blobKey,
          size: found.size,
          contentType: found.contentType,
          name: `${row.name.replace(/\.[^.]+$/, '')}.webp`,
          cacheControl: PRIVATE_CACHE,
          redirect: true,
        });
      },
    });
  }

  app.post(
    '/api/attachments/:id/retry',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['attachments'],
        summary: 'Download provider media again after a failure',
        params: idParams,
      },
    },
    async (request, reply) => {
      await retryFetch(deps, principalOf(request).accountId, request.params.id);
      return reply.status(202).send({ queued: true });
    },
  );
}
