import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { attachmentSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { stageUpload, storeUploads, type CheckedFile } from '../../domain/attachments.js';
import { AppError } from '../../errors.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

export const MAX_FILES_PER_UPLOAD = 20;

/** Streams every "file" part of a multipart request into staging; all are dropped if one is refused. */
export async function stageMultipart(
  deps: Deps,
  request: FastifyRequest,
  maxBytes: number,
): Promise<CheckedFile[]> {
  if (!request.isMultipart()) {
    throw new AppError('bad_request', 'Send files as multipart/form-data with one or more "file" parts.');
  }
  const staged: CheckedFile[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw new AppError(
          'validation_failed',
          `Unexpected file field "${part.fieldname}"; name file parts "file".`,
          {
            field: part.fieldname,
          },
        );
      }
      const checked = await stageUpload(
        deps,
        { stream: part.file, filename: part.filename, mimetype: part.mimetype },
        maxBytes,
      );
      if (part.file.truncated) {
        await checked.staged.discard();
        throw new AppError('payload_too_large', `"${part.filename}" is larger than the upload limit.`);
      }
      staged.push(checked);
    }
  } catch (error) {
    await Promise.all(staged.map((file) => file.staged.discard()));
    throw error;
  }
  return staged;
}

export function uploadRoutes(app: App, deps: Deps): void {
  app.post(
    '/api/uploads',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['attachments'],
        summary:
          'Upload files (multipart, one or more "file" parts); they are sent by naming them in a message',
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ attachments: z.array(attachmentSchema) }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const files = await stageMultipart(deps, request, deps.config.maxUploadBytes);
      const attachments = await storeUploads(deps, principal.accountId, principal.agentId, files);
      return reply.status(201).send({ attachments });
    },
  );
}
