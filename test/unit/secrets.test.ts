import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/server/infra/db/connect.js';
import { migrateToLatest } from '../../src/server/infra/db/migrate.js';
import { loadOrCreateSecrets } from '../../src/server/infra/secrets.js';
import { databaseTarget } from '../support/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<{ open: () => Promise<DatabaseHandle>; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-secrets-'));
  const target = await databaseTarget(dataDir);
  cleanups.push(async () => {
    await target.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const open = async () => {
    const database = openDatabase(target.target);
    cleanups.push(() => database.close());
    await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect, database.schema);
    return database;
  };
  return { open, dataDir };
}

describe('keys shared by every instance', () => {
  it('are created once, kept in the database and read back', async () => {
    const { open, dataDir } = await freshDatabase();
    const database = await open();
    const first = await loadOrCreateSecrets(database.db, dataDir);
    const second = await loadOrCreateSecrets(database.db, dataDir);
    expect(first.created).toBe(true);
    expect(first.secrets.urlSigningKey).toMatch(/^[\w-]{43}$/);
    expect(second).toEqual({ secrets: first.secrets, created: false });
  });

  it('are the same for instances on different machines (no shared DATA_DIR) starting together', async () => {
    const { open } = await freshDatabase();
    const instances = [];
    for (let i = 0; i < 4; i++) instances.push(await open());
    const dirs = await Promise.all(instances.map(() => mkdtemp(join(tmpdir(), 'switchboard-instance-'))));
    cleanups.push(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });
    const keys = await Promise.all(
      instances.map(
        async (database, i) => (await loadOrCreateSecrets(database.db, dirs[i] as string)).secrets,
      ),
    );
    expect(new Set(keys.map((key) => key.urlSigningKey)).size).toBe(1);
  });

  it('adopt the keys an earlier version kept in DATA_DIR/secrets.json, so old links keep working', async () => {
    const { open, dataDir } = await freshDatabase();
    const legacy = { sessionKey: 's'.repeat(43), urlSigningKey: 'u'.repeat(43) };
    await writeFile(join(dataDir, 'secrets.json'), JSON.stringify(legacy));
    const database = await open();
    expect((await loadOrCreateSecrets(database.db, dataDir)).secrets).toEqual(legacy);
  });

  it('refuse a damaged secrets.json with a message saying what to do', async () => {
    const { open, dataDir } = await freshDatabase();
    await writeFile(join(dataDir, 'secrets.json'), JSON.stringify({ urlSigningKey: 'short' }));
    const database = await open();
    await expect(loadOrCreateSecrets(database.db, dataDir)).rejects.toThrow(
      /damaged .*restore it from a backup/,
    );
  });
});
