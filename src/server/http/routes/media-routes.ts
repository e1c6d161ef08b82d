// Signed, expiring links to media, for providers that fetch what we send (Twilio, Instagram)
// and for visitors. The signature is the authority; deletion revokes every link.
import { z } from 'zod';
import type { Deps } from '../../context.js';
import { AppError } from '../../errors.js';
import { shortFilename } from '../../media/sanitize-filename.js';
import { verifySignedMedia } from '../../media/signed-url.js';
import { sendBlob } from '../send-blob.js';
import type { App } from '../types.js';

export function mediaRoutes(app: App, deps: Deps): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/media/:attachmentId/:variant/:expires/:signature/:name',
    config: { auth: 'public' },
    schema: {
      hide: true,
      params: z.object({
        attachmentId: z.string().max(64),
        variant: z.string().max(64),
        expires: z.coerce.number().int(),
        signature: z.string().max(100),
        name: z.string().max(300),
      }),
      querystring: z.object({ download: z.enum(['1', 'true']).optional() }),
    },
    handler: async (request, reply) => {
      const { attachmentId, variant, expires, signature } = request.params;
      const verdict = verifySignedMedia(
        deps.secrets.urlSigningKey,
        { attachmentId, variant, expiresAt: expires },
        signature,
        deps.now(),
      );
      if (verdict === 'invalid') throw new AppError('forbidden', 'This media link is not valid.');
      if (verdict === 'expired')
        throw new AppError('gone', 'This media link has expired; ask for a new one.');
      const row = await deps.db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || !row.blobKey || row.state === 'deleted')
        throw new AppError('gone', 'This media is no longer available.');
      if (variant === 'original') {
        return sendBlob(deps, request, reply, {
          blobKey: row.blobKey,
          size: row.size,
          contentType: row.contentType,
          name: shortFilename(row.name),
          download: request.query.download !== undefined,
          cacheControl: 'private, max-age=300',
        });
      }
      const derivative = await deps.db
        .selectFrom('derivatives')
        .selectAll()
        .where('attachmentId', '=', attachmentId)
        .where('kind', '=', variant)
        .executeTakeFirst();
      if (!derivative) throw new AppError('not_found', 'This media variant does not exist.');
      const extension = derivative.contentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
      return sendBlob(deps, request, reply, {
        blobKey: derivative.blobKey,
        size: derivative.size,
        contentType: derivative.contentType,
        name: shortFilename(row.name.replace(/\.[^.]+$/, '') + `.${extension}`),
        download: request.query.download !== undefined,
        cacheControl: 'private, max-age=300',
      });
    },
  });
}
