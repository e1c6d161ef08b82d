// API tokens: bearer credentials for integrations, each acting as the agent who made it.
// Stored as a digest; shown once at creation. Agents list and revoke their own; admins see
// and revoke every token of the account (a leaked token is theirs to stop), and each
// revocation is written to the audit log.
import type { ApiToken } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import { newId, newToken } from '../infra/ids.js';
import { recordAudit } from './audit.js';
import { secretDigest as digest, type Principal } from './sessions.js';
import { transact } from './transaction.js';

export async function createApiToken(
  deps: Pick<Deps, 'db' | 'now'>,
  accountId: string,
  agentId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const token = `sbt_${newToken()}`;
  const id = newId();
  await deps.db
    .insertInto('apiTokens')
    .values({
      id,
      accountId,
      agentId,
      name,
      tokenHash: digest(token),
      createdAt: deps.now(),
      lastUsedAt: null,
    })
    .execute();
  return { id, token };
}

export async function resolveApiToken(db: Db, token: string, now: number): Promise<Principal | null> {
  const row = await db
    .selectFrom('apiTokens')
    .innerJoin('agents', 'agents.id', 'apiTokens.agentId')
    .select([
      'apiTokens.id',
      'apiTokens.accountId',
      'apiTokens.agentId',
      'apiTokens.lastUsedAt',
      'agents.role',
    ])
    .where('apiTokens.tokenHash', '=', digest(token))
    .where('agents.disabledAt', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt > 60_000) {
    await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', row.id).execute();
  }
  return {
    accountId: row.accountId,
    agentId: row.agentId,
    role: row.role,
    via: 'token',
    csrfToken: null,
    sessionId: null,
  };
}

export async function listApiTokens(db: Db, principal: Principal): Promise<ApiToken[]> {
  let query = db
    .selectFrom('apiTokens')
    .innerJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'apiTokens.agentId').onRef('agents.accountId', '=', 'apiTokens.accountId'),
    )
    .select([
      'apiTokens.id',
      'apiTokens.name',
      'apiTokens.agentId',
      'agents.name as agentName',
      'apiTokens.createdAt',
      'apiTokens.lastUsedAt',
    ])
    .where('apiTokens.accountId', '=', principal.accountId);
  if (principal.role !== 'admin') query = query.where('apiTokens.agentId', '=', principal.agentId);
  return query.orderBy('apiTokens.createdAt', 'desc').orderBy('apiTokens.id', 'desc').execute();
}

/** Deletes the token at once: the next request carrying it gets 401. */
export async function revokeApiToken(deps: Deps, principal: Principal, id: string): Promise<void> {
  await transact(deps, async (tx) => {
    const row = await tx
      .selectFrom('apiTokens')
      .select(['id', 'agentId', 'name'])
      .where('accountId', '=', principal.accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (principal.role !== 'admin' && row.agentId !== principal.agentId)) {
      throw notFound('The API token');
    }
    await tx
      .deleteFrom('apiTokens')
      .where('accountId', '=', principal.accountId)
      .where('id', '=', id)
      .execute();
    await recordAudit(
      tx,
      {
        accountId: principal.accountId,
        actorId: principal.agentId,
        action: 'api_token.revoked',
        subjectType: 'api_token',
        subjectId: row.id,
        detail: { name: row.name, ownerId: row.agentId },
      },
      deps.now(),
    );
  });
}
