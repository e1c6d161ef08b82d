import { z } from 'zod';
import { agentSchema, localeSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { createAgent, listAgents, updateAgent } from '../../domain/agents.js';
import { createApiToken } from '../../domain/sessions.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

const idParams = z.object({ id: z.string().max(64) });

export function agentRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/agents',
    {
      config: { auth: 'agent' },
      schema: { tags: ['agents'], response: { 200: z.object({ agents: z.array(agentSchema) }) } },
    },
    async (request) => ({ agents: await listAgents(deps.db, principalOf(request).accountId) }),
  );

  app.post(
    '/api/agents',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['agents'],
        summary: 'Create an agent (admins)',
        body: z.strictObject({
          email: z.email(),
          name: z.string().trim().min(1).max(80),
          role: z.enum(['admin', 'agent']).default('agent'),
          password: z.string().min(8).max(200),
          locale: localeSchema.nullable().optional(),
        }),
        response: { 201: agentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAgent(deps, principalOf(request).accountId, request.body)),
  );

  app.patch(
    '/api/agents/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['agents'],
        summary: 'Change an agent (admins)',
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(80).optional(),
          role: z.enum(['admin', 'agent']).optional(),
          password: z.string().min(8).max(200).optional(),
          disabled: z.boolean().optional(),
        }),
        response: { 200: agentSchema },
      },
    },
    async (request) => updateAgent(deps, principalOf(request).accountId, request.params.id, request.body),
  );

  app.post(
    '/api/tokens',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['agents'],
        summary: 'Create an API token acting as you; the token is shown once',
        body: z.strictObject({ name: z.string().trim().min(1).max(80) }),
        response: { 201: z.object({ id: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return reply
        .status(201)
        .send(await createApiToken(deps, principal.accountId, principal.agentId, request.body.name));
    },
  );
}
