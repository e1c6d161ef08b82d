// Keys generated on first start and kept in DATA_DIR, so sessions and signed links survive a
// restart. The file is readable by its owner only.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  sessionKey: z.string().min(32),
  urlSigningKey: z.string().min(32),
});

export type Secrets = z.infer<typeof secretsSchema>;

export function loadOrCreateSecrets(dataDir: string): { secrets: Secrets; created: boolean } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(`${file} is damaged (${parsed.error.issues[0]?.message}); restore it from a backup.`);
    }
    return { secrets: parsed.data, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    sessionKey: randomBytes(32).toString('base64url'),
    urlSigningKey: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return { secrets, created: true };
}
