import { z } from 'zod';
import { auditEntrySchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { listAudit } from '../../domain/audit.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

export function auditRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/audit-log',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['agents'],
        summary:
          "The account's audit log, newest first (admins): attachments deleted or redacted, API tokens revoked",
        querystring: z.strictObject({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request) => listAudit(deps.db, principalOf(request).accountId, request.query),
  );
}
