// Agent sessions (cookie) and API tokens (bearer). Only hashes of the secrets are stored.
import { createHash } from 'node:crypto';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { AgentRole } from '../infra/db/schema.js';
import { newToken } from '../infra/ids.js';
import { decoyHash, verifyPassword } from './passwords.js';

export const SESSION_DAYS = 14;

export interface Principal {
  accountId: string;
  agentId: string;
  role: AgentRole;
  via: 'session' | 'token';
  csrfToken: string | null;
  sessionId: string | null;
}

/** Sessions and API tokens are stored by this digest, never as they are. */
export const secretDigest = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const digest = secretDigest;

export async function login(
  deps: Pick<Deps, 'db' | 'now'>,
  email: string,
  password: string,
): Promise<{ token: string; csrfToken: string; agentId: string; expiresAt: number }> {
  const agent = await deps.db
    .selectFrom('agents')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .where('disabledAt', 'is', null)
    .executeTakeFirst();
  const valid = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash));
  if (!agent || !valid) throw new AppError('invalid_credentials', 'The e-mail or the password is not right.');
  const token = newToken();
  const csrfToken = newToken(24);
  const now = deps.now();
  const expiresAt = now + SESSION_DAYS * 24 * 3600 * 1000;
  await deps.db
    .insertInto('sessions')
    .values({
      id: digest(token),
      accountId: agent.accountId,
      agentId: agent.id,
      csrfToken,
      createdAt: now,
      expiresAt,
    })
    .execute();
  return { token, csrfToken, agentId: agent.id, expiresAt };
}

export async function resolveSession(db: Db, token: string, now: number): Promise<Principal | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agentId')
    .select([
      'sessions.id',
      'sessions.accountId',
      'sessions.agentId',
      'sessions.csrfToken',
      'sessions.expiresAt',
      'agents.role',
    ])
    .where('sessions.id', '=', digest(token))
    .where('agents.disabledAt', 'is', null)
    .executeTakeFirst();
  if (!row || row.expiresAt <= now) return null;
  return {
    accountId: row.accountId,
    agentId: row.agentId,
    role: row.role,
    via: 'session',
    csrfToken: row.csrfToken,
    sessionId: row.id,
  };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
