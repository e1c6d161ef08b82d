// Accounts and their agents.
import type { Agent } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { AgentRole, Row } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { hashPassword } from './passwords.js';

export const presentAgent = (row: Row<'agents'>): Agent => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  locale: row.locale,
});

export async function createAccount(db: Db, name: string, now: number): Promise<string> {
  const id = newId(now);
  await db.insertInto('accounts').values({ id, name, ticketSeq: 0, createdAt: now }).execute();
  return id;
}

export interface NewAgent {
  email: string;
  name: string;
  role: AgentRole;
  password: string;
  locale?: string | null | undefined;
}

export async function createAgent(
  deps: Pick<Deps, 'db' | 'now'>,
  accountId: string,
  input: NewAgent,
): Promise<Agent> {
  const email = input.email.trim().toLowerCase();
  const taken = await deps.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `An agent with the e-mail ${email} already exists.`, { field: 'email' });
  const row = await deps.db
    .insertInto('agents')
    .values({
      id: newId(),
      accountId,
      email,
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashPassword(input.password),
      locale: input.locale ?? null,
      createdAt: deps.now(),
      disabledAt: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentAgent(row);
}

export async function listAgents(db: Db, accountId: string): Promise<Agent[]> {
  const rows = await db
    .selectFrom('agents')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('disabledAt', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map(presentAgent);
}

export async function getAgent(db: Db, accountId: string, agentId: string): Promise<Agent> {
  const row = await db
    .selectFrom('agents')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  if (!row) throw notFound('The agent');
  return presentAgent(row);
}

export interface AgentChange {
  name?: string | undefined;
  role?: AgentRole | undefined;
  locale?: string | null | undefined;
  password?: string | undefined;
  disabled?: boolean | undefined;
}

export async function updateAgent(
  deps: Pick<Deps, 'db' | 'now'>,
  accountId: string,
  agentId: string,
  change: AgentChange,
): Promise<Agent> {
  await getAgent(deps.db, accountId, agentId);
  if (change.role === 'agent' || change.disabled) {
    const admins = await deps.db
      .selectFrom('agents')
      .select('id')
      .where('accountId', '=', accountId)
      .where('role', '=', 'admin')
      .where('disabledAt', 'is', null)
      .execute();
    if (admins.length === 1 && admins[0]?.id === agentId) {
      throw new AppError('conflict', "This is the account's last admin; make another agent admin first.", {
        reason: 'last_admin',
      });
    }
  }
  await deps.db
    .updateTable('agents')
    .set({
      ...(change.name !== undefined ? { name: change.name.trim() } : {}),
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.locale !== undefined ? { locale: change.locale } : {}),
      ...(change.password !== undefined ? { passwordHash: await hashPassword(change.password) } : {}),
      ...(change.disabled !== undefined ? { disabledAt: change.disabled ? deps.now() : null } : {}),
    })
    .where('accountId', '=', accountId)
    .where('id', '=', agentId)
    .execute();
  if (change.disabled || change.password !== undefined) {
    await deps.db.deleteFrom('sessions').where('agentId', '=', agentId).execute();
  }
  return getAgent(deps.db, accountId, agentId);
}
