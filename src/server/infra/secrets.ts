// Keys generated on first start and kept in DATA_DIR, so sessions and signed links survive a
// restart. The file is readable by its owner only.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  sessionKey: z.string().min(32),
  urlSigningKey: z.string().min(32),
});

export type Secrets = z.infer<typeof secretsSchema>;

function readSecrets(file: string): Secrets {
  const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is damaged (${parsed.error.issues[0]?.message}); restore it from a backup.`);
  }
  return parsed.data;
}

export function loadOrCreateSecrets(dataDir: string): { secrets: Secrets; created: boolean } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return { secrets: readSecrets(file), created: false };
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    sessionKey: randomBytes(32).toString('base64url'),
    urlSigningKey: randomBytes(32).toString('base64url'),
  };
  try {
    // Written to a private temporary name and linked into place: the first of several
    // instances starting together on one DATA_DIR wins, and the others read its keys.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, file);
    } finally {
      unlinkSync(temporary);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { secrets: readSecrets(file), created: false };
    throw error;
  }
  return { secrets, created: true };
}
