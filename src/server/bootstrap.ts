// First start: the account, its first admin, and the channels a new user can play with
// before connecting any provider.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Deps } from './context.js';
import { createAccount, createAgent } from './domain/agents.js';
import { withSessionLock } from './infra/db/session-lock.js';

export interface FirstStart {
  created: boolean;
  email: string;
  /** Only when it was generated here; it is shown once and never stored in clear. */
  generatedPassword: string | null;
  accountId: string;
}

/** Channels created with the account, in simulator mode where the channel needs a provider. */
export type StarterChannels = (deps: Deps, accountId: string) => Promise<void>;

/** Instances starting together on one database create the first account once. */
export async function ensureAccount(deps: Deps, starters: StarterChannels[] = []): Promise<FirstStart> {
  return withSessionLock(deps.db as unknown as Kysely<unknown>, deps.dialect, 'switchboard:first-start', () =>
    firstStart(deps, starters),
  );
}

async function firstStart(deps: Deps, starters: StarterChannels[]): Promise<FirstStart> {
  const existing = await deps.db
    .selectFrom('accounts')
    .select('id')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  if (existing) {
    const admin = await deps.db
      .selectFrom('agents')
      .select('email')
      .where('accountId', '=', existing.id)
      .where('role', '=', 'admin')
      .orderBy('createdAt')
      .limit(1)
      .executeTakeFirst();
    return { created: false, email: admin?.email ?? '', generatedPassword: null, accountId: existing.id };
  }
  const email = deps.config.admin.email ?? 'admin@switchboard.local';
  const generatedPassword = deps.config.admin.password ? null : randomBytes(12).toString('base64url');
  const accountId = await createAccount(deps.db, 'Switchboard', deps.now());
  await createAgent(deps, accountId, {
    email,
    name: 'Admin',
    role: 'admin',
    password: deps.config.admin.password ?? (generatedPassword as string),
  });
  for (const starter of starters) await starter(deps, accountId);
  return { created: true, email, generatedPassword, accountId };
}
