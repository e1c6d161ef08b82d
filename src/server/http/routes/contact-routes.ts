import { z } from 'zod';
import { contactSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { getContact, listContacts } from '../../domain/contacts.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

export function contactRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/contacts',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['contacts'],
        querystring: z.strictObject({
          q: z.string().max(200).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
        response: { 200: z.object({ contacts: z.array(contactSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listContacts(deps.db, principalOf(request).accountId, request.query),
  );

  app.get(
    '/api/contacts/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['contacts'],
        params: z.object({ id: z.string().max(64) }),
        response: { 200: contactSchema },
      },
    },
    async (request) => getContact(deps.db, principalOf(request).accountId, request.params.id),
  );
}
