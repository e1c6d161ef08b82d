// The audit log: what was done to the account's data or credentials (an attachment already in
// a ticket deleted or redacted, an API token revoked), by whom and when. Written in the same
// transaction as the change.
import type { AuditEntry as AuditEntryView } from '../../shared/api-schemas.js';
import type { Db } from '../infra/db/connect.js';
import { newId } from '../infra/ids.js';
import { keysetPage } from './cursor.js';
import { parseJsonObject } from './json.js';

export type AuditAction = 'attachment.deleted' | 'attachment.redacted' | 'api_token.revoked';

export interface AuditEntry {
  accountId: string;
  actorId: string | null;
  action: AuditAction;
  subjectType: 'attachment' | 'api_token';
  subjectId: string;
  detail: Record<string, unknown>;
}

export async function recordAudit(tx: Db, entry: AuditEntry, now: number): Promise<string> {
  const id = newId(now);
  await tx
    .insertInto('auditLog')
    .values({
      id,
      accountId: entry.accountId,
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      detail: JSON.stringify(entry.detail),
      createdAt: now,
    })
    .execute();
  return id;
}

/** The account's audit log, newest first, with the actor's name (null once the agent is gone). */
export async function listAudit(
  db: Db,
  accountId: string,
  options: { cursor?: string | undefined; limit: number },
): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
  const query = db
    .selectFrom('auditLog')
    .leftJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'auditLog.actorId').onRef('agents.accountId', '=', 'auditLog.accountId'),
    )
    .select([
      'auditLog.id',
      'auditLog.action',
      'auditLog.subjectType',
      'auditLog.subjectId',
      'auditLog.detail',
      'auditLog.createdAt',
      'auditLog.actorId',
      'agents.name as actorName',
    ])
    .where('auditLog.accountId', '=', accountId);
  const page = await keysetPage(
    query,
    { at: 'auditLog.createdAt', id: 'auditLog.id', of: (row) => ({ at: row.createdAt, id: row.id }) },
    options,
  );
  return {
    entries: page.rows.map((row) => ({
      id: row.id,
      action: row.action,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      actor: row.actorId ? { id: row.actorId, name: row.actorName ?? null } : null,
      detail: parseJsonObject(row.detail),
      createdAt: row.createdAt,
    })),
    nextCursor: page.nextCursor,
  };
}
