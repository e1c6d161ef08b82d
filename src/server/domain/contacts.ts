// Contacts and the identities that tie them to channels (a phone number on SMS, a WhatsApp
// id, an e-mail address, a webchat visitor).
import type { Contact } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { Row } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { keysetPage, likePattern } from './cursor.js';
import { sql } from 'kysely';

export interface ContactDetails {
  externalId: string;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** The contact behind an identity on a channel, created on first contact. */
export async function findOrCreateContact(
  tx: Db,
  deps: Pick<Deps, 'now'>,
  accountId: string,
  channelId: string,
  details: ContactDetails,
): Promise<{ contactId: string; created: boolean }> {
  const existing = await tx
    .selectFrom('contactIdentities')
    .select('contactId')
    .where('channelId', '=', channelId)
    .where('externalId', '=', details.externalId)
    .executeTakeFirst();
  if (existing) {
    if (details.name) {
      await tx
        .updateTable('contacts')
        .set({ name: details.name, updatedAt: deps.now() })
        .where('id', '=', existing.contactId)
        .where('accountId', '=', accountId)
        .where('name', '=', details.externalId)
        .execute();
    }
    return { contactId: existing.contactId, created: false };
  }
  const now = deps.now();
  const contactId = newId(now);
  await tx
    .insertInto('contacts')
    .values({
      id: contactId,
      accountId,
      name: details.name?.trim() || details.phone || details.email || details.externalId,
      email: details.email ?? null,
      phone: details.phone ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await tx
    .insertInto('contactIdentities')
    .values({
      id: newId(now),
      accountId,
      contactId,
      channelId,
      externalId: details.externalId,
      createdAt: now,
    })
    .execute();
  return { contactId, created: true };
}

type IdentityRow = Awaited<ReturnType<typeof identitiesOf>>[number];

function presentContact(row: Row<'contacts'>, identities: IdentityRow[]): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt,
    identities: identities
      .filter((identity) => identity.contactId === row.id)
      .map(({ channelId, channelKind, channelName, externalId }) => ({
        channelId,
        channelKind,
        channelName,
        externalId,
      })),
  };
}

async function identitiesOf(db: Db, accountId: string, contactIds: string[]) {
  if (contactIds.length === 0) return [];
  return db
    .selectFrom('contactIdentities')
    .innerJoin('channels', 'channels.id', 'contactIdentities.channelId')
    .select([
      'contactIdentities.contactId',
      'contactIdentities.channelId',
      'contactIdentities.externalId',
      'channels.kind as channelKind',
      'channels.name as channelName',
    ])
    .where('contactIdentities.accountId', '=', accountId)
    .where('contactIdentities.contactId', 'in', contactIds)
    .execute();
}

export async function listContacts(
  db: Db,
  accountId: string,
  options: { q?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ contacts: Contact[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  let query = db.selectFrom('contacts').selectAll().where('accountId', '=', accountId);
  const q = options.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(name)`, 'like', pattern),
        eb(sql`lower(coalesce(email, ''))`, 'like', pattern),
        eb(sql`coalesce(phone, '')`, 'like', pattern),
      ]),
    );
  }
  const { rows, nextCursor } = await keysetPage(
    query,
    { at: 'createdAt', id: 'id', of: (row) => ({ at: row.createdAt, id: row.id }) },
    { cursor: options.cursor, limit },
  );
  const identities = await identitiesOf(
    db,
    accountId,
    rows.map((row) => row.id),
  );
  return { contacts: rows.map((row) => presentContact(row, identities)), nextCursor };
}

export async function getContact(db: Db, accountId: string, contactId: string): Promise<Contact> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!row) throw notFound('The contact');
  return presentContact(row, await identitiesOf(db, accountId, [row.id]));
}
