// Thumbnails for 50 twelve-megapixel JPEGs through the job queue, against Debian's
// vipsthumbnail run once per image (as a shell loop would) on the same files.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { photoLikeJpeg } from '../test/media/synthetic-images.js';
import { createRuntime, startJobs } from '../src/server/compose.js';
import { loadConfig } from '../src/server/config.js';
import { createAccount } from '../src/server/domain/agents.js';
import { stageUpload, storeUploads } from '../src/server/domain/attachments.js';
import { table } from './support.js';

const run = promisify(execFile);
const COUNT = Number(process.env.BENCH_PHOTOS ?? 50);
const progress = (text: string) => process.stderr.write(`[thumbnails] ${text}\n`);

export async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-thumbs-'));
  const files: string[] = [];
  progress(`generating ${COUNT} photos of 4000×3000`);
  for (let i = 0; i < COUNT; i++) {
    const file = join(dir, `photo-${i}.jpg`);
    await writeFile(file, await photoLikeJpeg(4000, 3000, i + 1, 90));
    files.push(file);
  }

  let vipsSeconds: number | null = null;
  try {
    await run('vipsthumbnail', ['--vips-version']);
    const out = join(dir, 'vips');
    await mkdir(out);
    progress('vipsthumbnail, one process per photo');
    const started = process.hrtime.bigint();
    for (const file of files) await run('vipsthumbnail', [file, '-s', '480', '-o', `${out}/%s.webp[Q=75]`]);
    vipsSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  } catch {
    progress('vipsthumbnail is not installed (apt-get install libvips-tools); no baseline');
  }

  const runtime = await createRuntime(loadConfig({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }), {
    log: pino({ level: 'silent' }),
  });
  const accountId = await createAccount(runtime.deps.db, 'Bench', Date.now());
  for (const file of files) {
    const checked = await stageUpload(
      runtime.deps,
      { stream: createReadStream(file), filename: 'photo.jpg', mimetype: 'image/jpeg' },
      100 * 1024 * 1024,
    );
    await storeUploads(runtime.deps, accountId, 'bench', [checked]);
  }
  progress(`job queue, ${Math.min(cpus().length, runtime.deps.config.jobConcurrency)} media workers`);
  const started = process.hrtime.bigint();
  startJobs(runtime.deps);
  // Thumbnails first (what the thread shows); the viewer's previews follow in their own jobs.
  for (;;) {
    const ready = await runtime.deps.db
      .selectFrom('attachments')
      .select('id')
      .where('state', '=', 'ready')
      .execute();
    if (ready.length === COUNT) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const oursSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await runtime.deps.queue.idle({ timeoutMs: 600_000 });
  const withPreviewsSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const derivatives = await runtime.deps.db.selectFrom('derivatives').select(['kind']).execute();
  await runtime.close();
  await rm(dir, { recursive: true, force: true });

  const ours = COUNT / oursSeconds;
  const rows: Array<Array<string | number>> = [];
  if (vipsSeconds !== null)
    rows.push([
      'vipsthumbnail per photo (baseline)',
      (COUNT / vipsSeconds).toFixed(2),
      vipsSeconds.toFixed(1),
      'thumbnail',
      '1.00×',
    ]);
  const versus = (rate: number) =>
    vipsSeconds !== null ? `${(rate / (COUNT / vipsSeconds)).toFixed(2)}×` : '—';
  rows.push([
    'media.derive jobs: thumbnails ready',
    ours.toFixed(2),
    oursSeconds.toFixed(1),
    'thumbnail, dimensions',
    `${versus(ours)} (target ≥ 1.0×)`,
  ]);
  rows.push([
    '… and the viewer previews after them',
    (COUNT / withPreviewsSeconds).toFixed(2),
    withPreviewsSeconds.toFixed(1),
    `+ 1600 px preview (${derivatives.length} files in all)`,
    versus(COUNT / withPreviewsSeconds),
  ]);
  console.log(
    table(
      `Thumbnails of ${COUNT} twelve-megapixel JPEGs`,
      ['', 'images/s', 'seconds', 'output', 'vs baseline'],
      rows,
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
