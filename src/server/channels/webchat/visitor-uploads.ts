// A visitor's files: streamed into staging, sniffed, checked against the webchat's rules
// (the same limits the widget shows before the upload) and stored as the visitor's uploads.
import type { FastifyRequest } from 'fastify';
import { decideAttachment, defaultChannelRules, familyOf } from '../../../shared/channel-rules.js';
import type { VisitorAttachment } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { storeUploads, type CheckedFile } from '../../domain/attachments.js';
import { AppError } from '../../errors.js';
import { stageMultipart } from '../../http/routes/upload-routes.js';
import { presentVisitorAttachment } from './visitor-views.js';
import { visitorRef, type VisitorRow } from './visitors.js';
import { widgetLimits } from './webchat-config.js';

const megabytes = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Refuses a file the webchat would not accept, naming the limit. */
export function checkAgainstRules(file: CheckedFile, maxUploadBytes: number): void {
  const rules = defaultChannelRules.webchat;
  const contentType = file.inspection.contentType;
  const family = familyOf(contentType);
  const limit = Math.min(rules[family].maxBytes, maxUploadBytes);
  const decision = decideAttachment(rules, { contentType, size: file.staged.size });
  if (decision.action === 'reject' && decision.reason === 'type_not_supported') {
    throw new AppError(
      'unsupported_media',
      `"${file.inspection.name}" (${contentType}) cannot be sent in this chat.`,
    );
  }
  if ((decision.action === 'reject' && decision.reason === 'too_large') || file.staged.size > limit) {
    throw new AppError(
      'payload_too_large',
      `"${file.inspection.name}" is ${megabytes(file.staged.size)}; ${family === 'document' ? 'files' : `${family}s`} may be up to ${megabytes(limit)}.`,
      { limit },
    );
  }
}

export async function uploadVisitorFiles(
  deps: Deps,
  request: FastifyRequest,
  visitor: VisitorRow,
): Promise<VisitorAttachment[]> {
  const limits = widgetLimits(defaultChannelRules.webchat, deps.config);
  const files = await stageMultipart(deps, request, limits.maxFileBytes);
  try {
    if (files.length > limits.perMessage) {
      throw new AppError('validation_failed', `Send at most ${limits.perMessage} files at a time.`, {
        field: 'file',
      });
    }
    for (const file of files) checkAgainstRules(file, deps.config.maxUploadBytes);
  } catch (error) {
    await Promise.all(files.map((file) => file.staged.discard()));
    throw error;
  }
  const stored = await storeUploads(deps, visitor.accountId, visitorRef(visitor.id), files);
  const rows = await deps.db
    .selectFrom('attachments')
    .selectAll()
    .where('accountId', '=', visitor.accountId)
    .where(
      'id',
      'in',
      stored.map((attachment) => attachment.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((row) => presentVisitorAttachment(deps, row));
}
