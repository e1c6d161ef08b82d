// Who is calling: an agent's session cookie (with a CSRF token on writes) or a bearer API
// token. Routes declare what they need with `config: { auth }`.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import { resolveApiToken } from '../domain/api-tokens.js';
import { resolveSession, type Principal } from '../domain/sessions.js';

export const SESSION_COOKIE = 'sb_session';
export type AuthLevel = 'public' | 'agent' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function identify(deps: Deps, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const principal = await resolveApiToken(deps.db, header.slice(7).trim(), deps.now());
    if (!principal)
      throw new AppError('unauthenticated', 'The API token is not valid (it may have been revoked).');
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  return resolveSession(deps.db, token, deps.now());
}

export function authHook(deps: Deps) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const level = request.routeOptions.config.auth ?? 'public';
    if (level === 'public') return;
    const principal = await identify(deps, request);
    if (!principal)
      throw new AppError('unauthenticated', 'Sign in first: this needs an agent session or an API token.');
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== principal.csrfToken) {
        throw new AppError(
          'csrf_failed',
          'The X-CSRF-Token header is missing or stale; reload the page and try again.',
        );
      }
    }
    if (level === 'admin' && principal.role !== 'admin') {
      throw new AppError('forbidden', 'Only admins can do this.');
    }
    request.principal = principal;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Sign in first.');
  return request.principal;
}
