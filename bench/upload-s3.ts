// One 200 MB upload through POST /api/uploads to local disk and to S3-compatible storage
// (s3rver on loopback, writing to the same disk) in the same run: throughput and the server's
// peak memory growth. s3rver is a test server, so the S3 figure is a floor, not what a real
// object store sustains.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server } from '../test/support/s3-server.js';
import { memoryOf, mb, signInBench, startServer, table } from './support.js';
import { UPLOAD_SIZE, curlUpload, writeRandomFile } from './upload-support.js';

async function uploadOnce(
  file: string,
  env: Record<string, string>,
): Promise<{ seconds: number; growth: number }> {
  const server = await startServer(env);
  try {
    const { cookie, csrf } = await signInBench(server.url);
    const pid = server.child.pid as number;
    const before = memoryOf(pid);
    const seconds = curlUpload(`${server.url}/api/uploads`, file, { cookie, 'x-csrf-token': csrf });
    const after = memoryOf(pid);
    return { seconds, growth: Math.max(0, after.peak - before.rss) };
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'switchboard-bench-s3-'));
  const file = join(work, 'upload-source.bin');
  writeRandomFile(file);
  const s3 = await startS3Server();
  try {
    const bucket = await s3.createBucket();
    const local = await uploadOnce(file, {});
    const remote = await uploadOnce(file, s3.env(bucket));
    const row = (name: string, run: { seconds: number; growth: number }) => [
      name,
      mb(UPLOAD_SIZE / run.seconds),
      run.seconds.toFixed(2),
      mb(run.growth),
    ];
    console.log(
      table(
        'Upload one 200 MB file (POST /api/uploads): local disk against S3 (s3rver on loopback)',
        ['store', 'MB/s', 'time (s)', 'peak RSS growth (MB)'],
        [row('local disk (DATA_DIR/blobs)', local), row('S3 (s3rver, multipart 5 MiB × 2)', remote)],
      ),
    );
  } finally {
    await s3.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
