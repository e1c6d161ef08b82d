// Upload one 200 MB file through POST /api/uploads: throughput and the server's peak memory
// growth, against `cp` of the same file on the same disk.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { openSync, writeSync, closeSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memoryOf, mb, signInBench, startServer, table } from './support.js';

const SIZE = 200 * 1024 * 1024;

export async function main(): Promise<void> {
  const server = await startServer();
  const file = join(server.dataDir, 'upload-source.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let written = 0; written < SIZE; written += chunk.length) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);

  const copy = join(server.dataDir, 'copy.bin');
  execFileSync('sync');
  const cpStart = process.hrtime.bigint();
  execFileSync('cp', [file, copy]);
  execFileSync('sync');
  const cpSeconds = Number(process.hrtime.bigint() - cpStart) / 1e9;
  rmSync(copy);

  const { cookie, csrf } = await signInBench(server.url);
  const pid = server.child.pid as number;
  const before = memoryOf(pid);
  const started = process.hrtime.bigint();
  const output = execFileSync(
    'curl',
    [
      '-sS',
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      '-H',
      `cookie: ${cookie}`,
      '-H',
      `x-csrf-token: ${csrf}`,
      '-F',
      `file=@${file};type=application/octet-stream`,
      `${server.url}/api/uploads`,
    ],
    { maxBuffer: 1 << 20 },
  ).toString();
  execFileSync('sync');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = memoryOf(pid);
  const status = output.trim().split('\n').pop();
  if (status !== '201') throw new Error(`upload failed: ${output}`);
  await server.stop();
  const growth = Math.max(0, after.peak - before.rss);
  const ours = SIZE / seconds;
  const baseline = SIZE / cpSeconds;
  console.log(
    table(
      'Upload one 200 MB file (POST /api/uploads, streamed to disk with SHA-256)',
      ['', 'MB/s', 'time (s)', 'peak RSS growth (MB)'],
      [
        ['cp (baseline, same disk)', mb(baseline), cpSeconds.toFixed(2), '—'],
        ['POST /api/uploads', mb(ours), seconds.toFixed(2), mb(growth)],
        [
          'ratio / target',
          `${((ours / baseline) * 100).toFixed(0)} % of cp (target ≥ 50 %)`,
          '',
          `target < 100 MB`,
        ],
      ],
    ),
  );
  console.log(
    `file size ${mb(statSync(file).size)} MB; server RSS before ${mb(before.rss)} MB, peak after ${mb(after.peak)} MB`,
  );
  rmSync(server.dataDir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
