import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSecrets } from '../../src/server/infra/secrets.js';

describe('instance secrets in DATA_DIR', () => {
  it('are created once and read back, leaving no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-secrets-'));
    try {
      const first = loadOrCreateSecrets(dir);
      const second = loadOrCreateSecrets(dir);
      expect(first.created).toBe(true);
      expect(second).toEqual({ secrets: first.secrets, created: false });
      expect(await readdir(dir)).toEqual(['secrets.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('are the same for processes starting together on one directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-secrets-'));
    const script = `import { loadOrCreateSecrets } from './src/server/infra/secrets.ts';
      process.stdout.write(loadOrCreateSecrets(${JSON.stringify(dir)}).secrets.urlSigningKey);`;
    try {
      const keys = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<string>((resolve, reject) => {
              const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
              let out = '';
              let err = '';
              child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
              child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
              child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
            }),
        ),
      );
      expect(new Set(keys).size).toBe(1);
      expect(await readdir(dir)).toEqual(['secrets.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
