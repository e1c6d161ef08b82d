// The audit log: what an admin did to the account's data (deleted or redacted an attachment
// already in a ticket), by whom and when. Written in the same transaction as the change.
import type { Db } from '../infra/db/connect.js';
import { newId } from '../infra/ids.js';

export type AuditAction = 'attachment.deleted' | 'attachment.redacted';

export interface AuditEntry {
  accountId: string;
  actorId: string | null;
  action: AuditAction;
  subjectType: 'attachment';
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
