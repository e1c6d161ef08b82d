// Anonymous webchat visitors. A visitor is a random token kept in the browser (only its hash
// is stored), scoped to one channel; on the first message it becomes a contact whose
// identity on the channel is the visitor id.
import { createHash } from 'node:crypto';
import type { Visitor } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import type { Db } from '../../infra/db/connect.js';
import type { Row } from '../../infra/db/schema.js';
import { newId, newToken } from '../../infra/ids.js';

export type VisitorRow = Row<'webchatVisitors'>;

export interface VisitorDetails {
  name?: string | undefined;
  email?: string | undefined;
  locale?: string | undefined;
}

const TOKEN_PREFIX = 'sbv_';
/** Seen-at is written at most this often, so reads stay reads. */
const SEEN_RESOLUTION_MS = 60_000;

export const hashVisitorToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** How the visitor is named in `attachments.uploadedBy`. */
export const visitorRef = (visitorId: string): string => `visitor:${visitorId}`;

/** The contact name of a visitor who has not said who they are. */
export const anonymousName = (visitorId: string): string =>
  `Website visitor ${visitorId.replace(/-/g, '').slice(-4).toUpperCase()}`;

export const presentVisitor = (row: VisitorRow): Visitor => ({
  id: row.id,
  name: row.name,
  email: row.email,
});

export async function createVisitor(
  deps: Pick<Deps, 'db' | 'now'>,
  channel: { id: string; accountId: string },
  details: VisitorDetails,
): Promise<{ visitor: VisitorRow; token: string }> {
  const token = `${TOKEN_PREFIX}${newToken(32)}`;
  const now = deps.now();
  const visitor = await deps.db
    .insertInto('webchatVisitors')
    .values({
      id: newId(now),
      accountId: channel.accountId,
      channelId: channel.id,
      tokenHash: hashVisitorToken(token),
      name: details.name?.trim() || null,
      email: details.email?.trim().toLowerCase() || null,
      locale: details.locale ?? null,
      createdAt: now,
      lastSeenAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { visitor, token };
}

/** The visitor holding `token` on this channel, or null (unknown, or issued by another channel). */
export async function resolveVisitor(
  deps: Pick<Deps, 'db' | 'now'>,
  channelId: string,
  token: string,
): Promise<VisitorRow | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await deps.db
    .selectFrom('webchatVisitors')
    .selectAll()
    .where('tokenHash', '=', hashVisitorToken(token))
    .where('channelId', '=', channelId)
    .executeTakeFirst();
  if (!row) return null;
  const now = deps.now();
  if (now - row.lastSeenAt > SEEN_RESOLUTION_MS) {
    await deps.db.updateTable('webchatVisitors').set({ lastSeenAt: now }).where('id', '=', row.id).execute();
  }
  return row;
}

/** The contact the visitor became with their first message, if they have written yet. */
export async function visitorContactId(db: Db, visitor: VisitorRow): Promise<string | null> {
  const identity = await db
    .selectFrom('contactIdentities')
    .select('contactId')
    .where('channelId', '=', visitor.channelId)
    .where('externalId', '=', visitor.id)
    .executeTakeFirst();
  return identity?.contactId ?? null;
}

/**
 * Records the name and e-mail a visitor chose to leave, on the visitor and on their contact.
 * A contact an agent has already renamed keeps the agent's name.
 */
export async function updateVisitor(
  deps: Pick<Deps, 'db' | 'now'>,
  visitor: VisitorRow,
  details: VisitorDetails,
): Promise<VisitorRow> {
  const now = deps.now();
  const name = details.name === undefined ? visitor.name : details.name.trim() || null;
  const email = details.email === undefined ? visitor.email : details.email.trim().toLowerCase() || null;
  return deps.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('webchatVisitors')
      .set({ name, email, lastSeenAt: now, ...(details.locale ? { locale: details.locale } : {}) })
      .where('id', '=', visitor.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const contactId = await visitorContactId(tx, visitor);
    if (contactId) {
      if (name) {
        await tx
          .updateTable('contacts')
          .set({ name, updatedAt: now })
          .where('id', '=', contactId)
          .where('accountId', '=', visitor.accountId)
          .where('name', 'in', [anonymousName(visitor.id), visitor.name ?? anonymousName(visitor.id)])
          .execute();
      }
      if (email) {
        await tx
          .updateTable('contacts')
          .set({ email, updatedAt: now })
          .where('id', '=', contactId)
          .where('accountId', '=', visitor.accountId)
          .where('email', 'is', null)
          .execute();
      }
    }
    return updated;
  });
}
