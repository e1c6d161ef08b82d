// Redaction and media privacy: scan an image for personal data, burn boxes into a copy (or,
// for admins, into an attachment already in a ticket), and delete attachments.
import type { FastifyError, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { attachmentSchema } from '../../../shared/api-schemas.js';
import { piiScanResponseSchema, redactRequestSchema } from '../../../shared/redaction-api.js';
import type { Deps } from '../../context.js';
import { requestScan } from '../../domain/pii-scans.js';
import { deleteAttachment, redactInPlace, redactToCopy } from '../../domain/redaction.js';
import { AppError } from '../../errors.js';
import { principalOf } from '../auth.js';
import { describeValidation } from '../error-handler.js';
import type { App } from '../types.js';

const idParams = z.object({ id: z.string().max(64) });

/** Boxes the schema refuses (negative, empty, too many) are the same 422 as boxes outside the image. */
function boxesProblem(error: FastifyError, request: FastifyRequest): AppError {
  const described = describeValidation(error, request);
  const field = described.details?.field ?? '';
  return field === 'boxes' || field.startsWith('boxes.')
    ? new AppError('invalid_boxes', described.message, described.details)
    : described;
}

export function redactionRoutes(app: App, deps: Deps): void {
  app.post(
    '/api/attachments/:id/pii-scan',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['attachments'],
        summary:
          'Find personal data in an image (e-mail, phone, card, IBAN, address, name): 200 with proposed boxes, or 202 while the scan runs (ask again)',
        params: idParams,
        response: { 200: piiScanResponseSchema, 202: piiScanResponseSchema },
      },
    },
    async (request, reply) => {
      const result = await requestScan(deps, principalOf(request).accountId, request.params.id);
      return reply.status(result.status === 'done' ? 200 : 202).send(result);
    },
  );

  app.post(
    '/api/attachments/:id/redact',
    {
      config: { auth: 'agent' },
      attachValidation: true,
      schema: {
        tags: ['attachments'],
        summary:
          'Burn solid boxes into an image (orientation applied, metadata stripped): 201 with a new draft attachment; with replace (admins, attachments in a ticket) 200 with the attachment, its bytes replaced',
        params: idParams,
        body: redactRequestSchema,
        response: { 200: attachmentSchema, 201: attachmentSchema },
      },
    },
    async (request, reply) => {
      if (request.validationError) throw boxesProblem(request.validationError as FastifyError, request);
      const principal = principalOf(request);
      const { boxes, replace } = request.body;
      if (replace === true) {
        return reply.status(200).send(await redactInPlace(deps, principal, request.params.id, boxes));
      }
      return reply.status(201).send(await redactToCopy(deps, principal, request.params.id, boxes));
    },
  );

  app.delete(
    '/api/attachments/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['attachments'],
        summary:
          'Discard a draft upload (204), or, as an admin, delete an attachment in a ticket: its bytes go, a tombstone stays (200)',
        params: idParams,
        response: { 200: attachmentSchema, 204: z.null().describe('The draft was discarded') },
      },
    },
    async (request, reply) => {
      const outcome = await deleteAttachment(deps, principalOf(request), request.params.id);
      if (outcome.kind === 'discarded') return reply.status(204).send(null);
      return reply.status(200).send(outcome.attachment);
    },
  );
}
