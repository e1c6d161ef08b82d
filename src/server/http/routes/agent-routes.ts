import { z } from 'zod';
import { agentSchema, apiTokenSchema, localeSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { createAgent, listAgents, updateAgent } from '../../domain/agents.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../domain/api-tokens.js';
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

  app.get(
    '/api/tokens',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['agents'],
        summary: "List API tokens: yours, or every agent's for admins (never the secrets)",
        response: { 200: z.object({ tokens: z.array(apiTokenSchema) }) },
      },
    },
    async (request) => ({ tokens: await listApiTokens(deps.db, principalOf(request)) }),
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['agents'],
        summary: "Revoke an API token: your own, or any of the account's for admins",
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeApiToken(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
