import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = ['--import', 'tsx', 'src/server/main.ts'];

describe('command line', () => {
  it('doctor names each missing media tool and how to install it', async () => {
    // A PATH holding nothing but node.
    const bin = await mkdtemp(join(tmpdir(), 'bare-path-'));
    await symlink(process.execPath, join(bin, 'node'));
    const result = spawnSync(process.execPath, [...tsx, 'doctor'], {
      env: { ...process.env, PATH: bin },
      encoding: 'utf8',
      timeout: 30_000,
    });
    await rm(bin, { recursive: true, force: true });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '✗ ffmpeg (video poster, transcodes): missing — install: apt-get install ffmpeg',
    );
    expect(result.stdout).toContain(
      '✗ heif-convert (HEIC photos): missing — install: apt-get install libheif-examples',
    );
    expect(result.stdout).toMatch(/6 missing/);
  });

  it('serves, then on SIGTERM finishes what is in flight and exits cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, [...tsx, 'serve'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        ADMIN_PASSWORD: 'first-password',
        LOG_LEVEL: 'info',
        SIMULATORS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      for (let i = 0; i < 300 && !output.includes('Switchboard is running'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('Sign in as:  admin@switchboard.local');
      expect(output).not.toContain('Password:');
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@switchboard.local', password: 'first-password' }),
      });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      // An upload that trickles in over a second is in flight when the signal arrives.
      const boundary = 'switchboard-test-boundary';
      const parts = [
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n`,
        ...Array.from({ length: 10 }, (_, i) => `line ${i} of a slow upload\n`),
        `\r\n--${boundary}--\r\n`,
      ];
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = parts.shift();
          if (next === undefined) return controller.close();
          await new Promise((r) => setTimeout(r, 100));
          controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const upload = fetch(`${base}/api/uploads`, {
        method: 'POST',
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: 'half',
      } as RequestInit);
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const finished = await upload;
      expect(finished.status).toBe(201);
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM: finishing in-flight requests and jobs');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
