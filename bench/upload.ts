// Upload one 200 MB file through POST /api/uploads: throughput and the server's peak memory
// growth, against `cp` of the same file on the same disk. Each round runs cp, the upload, the
// same upload to a server that only receives, and SHA-256 over the file alone, one after
// another, so that the machine's load falls on all alike; after one warm-up round the table
// gives the medians, and the server's CPU time per upload.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { median, memoryOf, mb, signInBench, startServer, table } from './support.js';
import { UPLOAD_SIZE, curlUpload, startDiscardServer, writeRandomFile } from './upload-support.js';

const ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 5);

/** User and system CPU seconds a process (all its threads) has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function hashSeconds(file: string): Promise<number> {
  const started = process.hrtime.bigint();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  hash.digest();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const elapsed = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

export async function main(): Promise<void> {
  const server = await startServer();
  const discard = await startDiscardServer();
  const file = join(server.dataDir, 'upload-source.bin');
  writeRandomFile(file);
  const copy = join(server.dataDir, 'copy.bin');
  const { cookie, csrf } = await signInBench(server.url);
  const pid = server.child.pid as number;
  const before = memoryOf(pid);
  const times = { cp: [] as number[], upload: [] as number[], floor: [] as number[], hash: [] as number[] };
  const serverCpu: number[] = [];

  // Round 0 warms up (JIT, page cache, allocator) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    execFileSync('sync');
    const cpStart = process.hrtime.bigint();
    execFileSync('cp', [file, copy]);
    execFileSync('sync');
    const cpTime = elapsed(cpStart);
    rmSync(copy);

    const cpuBefore = cpuSeconds(pid);
    const started = process.hrtime.bigint();
    curlUpload(`${server.url}/api/uploads`, file, { cookie, 'x-csrf-token': csrf });
    execFileSync('sync');
    const uploadTime = elapsed(started);
    const uploadCpu = cpuSeconds(pid) - cpuBefore;

    const floorTime = curlUpload(discard.url, file);
    const hashTime = await hashSeconds(file);
    if (round === 0) continue;
    times.cp.push(cpTime);
    times.upload.push(uploadTime);
    times.floor.push(floorTime);
    times.hash.push(hashTime);
    serverCpu.push(uploadCpu);
  }
  const after = memoryOf(pid);
  discard.stop();
  await server.stop();

  const growth = Math.max(0, after.peak - before.rss);
  const speed = (seconds: number[]) => UPLOAD_SIZE / median(seconds);
  const share = (seconds: number[]) => `${((speed(seconds) / speed(times.cp)) * 100).toFixed(0)} % of cp`;
  const row = (name: string, seconds: number[], shareNote: string, memory: string) => [
    name,
    mb(speed(seconds)),
    shareNote,
    median(seconds).toFixed(2),
    `${Math.min(...seconds).toFixed(2)} to ${Math.max(...seconds).toFixed(2)}`,
    memory,
  ];
  console.log(
    table(
      `Upload one 200 MB file (POST /api/uploads, streamed to disk with SHA-256), median of ${ROUNDS} rounds`,
      ['', 'MB/s', 'share', 'time (s), median', 'time (s), range', 'peak RSS growth (MB)'],
      [
        row('cp (baseline, same disk)', times.cp, '100 %', '—'),
        row(
          'POST /api/uploads',
          times.upload,
          `${share(times.upload)} (target ≥ 50 %)`,
          `${mb(growth)} (target < 100)`,
        ),
        row('floor: a Node server that only receives', times.floor, share(times.floor), '—'),
        row('SHA-256 of the file alone (one core)', times.hash, share(times.hash), '—'),
      ],
    ),
  );
  console.log(
    `server CPU per upload (user + system, all threads): median ${median(serverCpu).toFixed(2)} s ` +
      `for ${median(times.upload).toFixed(2)} s of wall time on ${cpus().length} cores`,
  );
  console.log(
    `server RSS before ${mb(before.rss)} MB, peak after ${ROUNDS + 1} uploads ${mb(after.peak)} MB; ` +
      'every upload after the first finds its bytes already stored and keeps one copy',
  );
  rmSync(server.dataDir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
