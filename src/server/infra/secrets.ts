// Keys shared by every instance: generated on first start and kept in the database, so that
// signed links survive restarts and are valid on every web instance and worker. A
// `secrets.json` left in DATA_DIR by an earlier version is adopted on first start, so links
// handed out before keep working.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from './db/connect.js';

const secretsSchema = z.object({
  sessionKey: z.string().min(32),
  urlSigningKey: z.string().min(32),
});

export type Secrets = z.infer<typeof secretsSchema>;
const names = Object.keys(secretsSchema.shape) as Array<keyof Secrets>;

/** Keys an earlier version kept in DATA_DIR/secrets.json, if any. */
function legacySecrets(dataDir: string): Partial<Secrets> {
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) return {};
  const parsed = secretsSchema.partial().safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is damaged (${parsed.error.issues[0]?.message}); restore it from a backup.`);
  }
  return parsed.data;
}

/**
 * Reads the shared keys, creating the missing ones. Instances starting together each offer
 * their own and keep whichever was stored first, so all of them end up with the same keys.
 */
export async function loadOrCreateSecrets(
  db: Db,
  dataDir: string,
  now: () => number = Date.now,
): Promise<{ secrets: Secrets; created: boolean }> {
  const read = async () =>
    Object.fromEntries(
      (await db.selectFrom('instanceSecrets').select(['name', 'value']).execute()).map((row) => [
        row.name,
        row.value,
      ]),
    ) as Partial<Secrets>;
  const stored = await read();
  const missing = names.filter((name) => !stored[name]);
  if (missing.length === 0) return { secrets: secretsSchema.parse(stored), created: false };
  const legacy = legacySecrets(dataDir);
  for (const name of missing) {
    await db
      .insertInto('instanceSecrets')
      .values({ name, value: legacy[name] ?? randomBytes(32).toString('base64url'), createdAt: now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
  return { secrets: secretsSchema.parse(await read()), created: true };
}
