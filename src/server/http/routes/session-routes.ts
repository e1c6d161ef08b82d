import type {} from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { agentSchema, localeSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { getAgent, updateAgent } from '../../domain/agents.js';
import { verifyPassword } from '../../domain/passwords.js';
import { endSession, login, SESSION_DAYS } from '../../domain/sessions.js';
import { AppError } from '../../errors.js';
import { principalOf, SESSION_COOKIE } from '../auth.js';
import type { App } from '../types.js';

const meSchema = z.object({
  agent: agentSchema,
  account: z.object({ id: z.string(), name: z.string() }),
  csrfToken: z.string().nullable(),
});

/** Attempts to change one's password (right or wrong) allowed per agent in 15 minutes. */
export const PASSWORD_CHANGES_PER_WINDOW = 5;

export function sessionRoutes(app: App, deps: Deps): void {
  const secure = deps.config.publicUrl.startsWith('https://');

  async function me(accountId: string, agentId: string, csrfToken: string | null) {
    const [agent, account] = await Promise.all([
      getAgent(deps.db, accountId, agentId),
      deps.db
        .selectFrom('accounts')
        .select(['id', 'name'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow(),
    ]);
    return { agent, account, csrfToken };
  }

  app.post(
    '/api/session',
    {
      config: {
        auth: 'public',
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            `${request.ip}:${String((request.body as { email?: unknown } | undefined)?.email ?? '')}`,
        },
      },
      schema: {
        tags: ['session'],
        summary: 'Sign in; sets the session cookie',
        body: z.strictObject({
          email: z.string().trim().min(3).max(320),
          password: z.string().min(1).max(200),
        }),
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const session = await login(deps, request.body.email, request.body.password);
      const agent = await deps.db
        .selectFrom('agents')
        .select('accountId')
        .where('id', '=', session.agentId)
        .executeTakeFirstOrThrow();
      void reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: SESSION_DAYS * 24 * 3600,
      });
      return me(agent.accountId, session.agentId, session.csrfToken);
    },
  );

  app.delete(
    '/api/session',
    { config: { auth: 'agent' }, schema: { tags: ['session'], summary: 'Sign out' } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.sessionId) await endSession(deps.db, principal.sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/me',
    {
      config: { auth: 'agent' },
      schema: { tags: ['session'], summary: 'The signed-in agent', response: { 200: meSchema } },
    },
    async (request) => {
      const principal = principalOf(request);
      return me(principal.accountId, principal.agentId, principal.csrfToken);
    },
  );

  app.patch(
    '/api/me',
    {
      config: {
        auth: 'agent',
        // A stolen session or API token must not become a way to guess the password: changes of
        // password count per agent, whatever the address; other changes are not limited.
        rateLimit: {
          max: PASSWORD_CHANGES_PER_WINDOW,
          timeWindow: '15 minutes',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `password-change:${principalOf(request).agentId}`,
          allowList: (request: FastifyRequest) =>
            (request.body as { password?: unknown } | undefined)?.password === undefined,
        },
      },
      schema: {
        tags: ['session'],
        summary: 'Change your own name, language or password',
        body: z.strictObject({
          name: z.string().trim().min(1).max(80).optional(),
          locale: localeSchema.nullable().optional(),
          password: z.string().min(8).max(200).optional(),
          /** Required with `password`: a session or API token alone cannot take over the sign-in. */
          currentPassword: z.string().max(200).optional(),
        }),
        response: { 200: agentSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { currentPassword, ...change } = request.body;
      if (change.password !== undefined) {
        const row = await deps.db
          .selectFrom('agents')
          .select('passwordHash')
          .where('accountId', '=', principal.accountId)
          .where('id', '=', principal.agentId)
          .executeTakeFirstOrThrow();
        if (currentPassword === undefined || !(await verifyPassword(currentPassword, row.passwordHash))) {
          throw new AppError('forbidden', 'Give your current password to set a new one.', {
            field: 'currentPassword',
          });
        }
      }
      return updateAgent(deps, principal.accountId, principal.agentId, change);
    },
  );
}
