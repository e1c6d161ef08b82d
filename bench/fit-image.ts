// Benchmark: fitting 12 MP photos into an MMS budget of 600 KB, against ImageMagick's
// `convert IN -define jpeg:extent=600KB OUT` (one process per photo) on the same photos.
// Run: node --import tsx bench/fit-image.ts [--photos N] [--full-ssim]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { fitImageToBudget, type FitImageOptions } from '../src/server/media/transform/fit-image-to-budget.js';
import { findOnPath } from '../src/server/media/transform/media-tools.js';
import { ssim } from '../src/server/media/transform/ssim.js';
import { photoLikeJpeg } from '../test/media/synthetic-images.js';

const WIDTH = 4000;
const HEIGHT = 3000;
/** ImageMagick reads "600KB" as 600 × 1024 bytes; both sides get the same budget. */
const BUDGET = 600 * 1024;

interface Row {
  label: string;
  ms: number[];
  cpuMs: number[];
  ssim1024: number[];
  ssimFull: number[];
  within: number;
  bytes: number[];
  detail: string[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const newRow = (label: string): Row => ({
  label,
  ms: [],
  cpuMs: [],
  ssim1024: [],
  ssimFull: [],
  within: 0,
  bytes: [],
  detail: [],
});

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

/** Runs ImageMagick under sh and returns the CPU time (user + system) of its process, from `times`. */
async function magickCpuMs(magick: string, args: string[]): Promise<number> {
  const quoted = [magick, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = await run('/bin/sh', ['-c', `${quoted} && times`]);
  const children = out.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return ((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000;
}

async function isRealImageMagick(path: string): Promise<boolean> {
  try {
    await run(path, ['-version']);
    const head = (await readFile(path)).subarray(0, 200).toString('latin1');
    return !head.includes('Stands in for ImageMagick');
  } catch {
    return false;
  }
}

async function measure(
  row: Row,
  original: string,
  output: Buffer,
  time: { ms: number; cpuMs: number },
  fullSsim: boolean,
  detail: string,
) {
  row.ms.push(time.ms);
  row.cpuMs.push(time.cpuMs);
  row.bytes.push(output.length);
  if (output.length <= BUDGET) row.within += 1;
  row.ssim1024.push(await ssim(original, output, { maxEdge: 1024 }));
  if (fullSsim) row.ssimFull.push(await ssim(original, output, { maxEdge: Number.POSITIVE_INFINITY }));
  row.detail.push(detail);
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<string> {
  const count = Number(argv[argv.indexOf('--photos') + 1] ?? '') || 20;
  const fullSsim = argv.includes('--full-ssim');
  const dir = await mkdtemp(join(tmpdir(), 'bench-fit-'));
  try {
    const photos: string[] = [];
    const sourceSizes: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const path = join(dir, `photo-${i + 1}.jpg`);
      await writeFile(path, await photoLikeJpeg(WIDTH, HEIGHT, 1000 + i, 92));
      photos.push(path);
      sourceSizes.push((await stat(path)).size);
    }
    const variants: { label: string; options: FitImageOptions }[] = [
      {
        label: 'fitImageToBudget, full resolution allowed',
        options: { maxBytes: BUDGET, measureSsim: false },
      },
      {
        label: 'fitImageToBudget, maxEdge 2048',
        options: { maxBytes: BUDGET, maxEdge: 2048, measureSsim: false },
      },
      {
        label: 'fitImageToBudget, full resolution, quality floor 10 (no shrink, like ImageMagick)',
        options: { maxBytes: BUDGET, minQuality: 10, measureSsim: false },
      },
      {
        label: 'fitImageToBudget, full resolution, mozjpeg',
        options: { maxBytes: BUDGET, mozjpeg: true, measureSsim: false },
      },
      { label: 'fitImageToBudget, full resolution, SSIM recorded', options: { maxBytes: BUDGET } },
    ];
    const rows = variants.map((v) => newRow(v.label));
    const convert = (await findOnPath(['convert'], '/usr/bin')) ?? (await findOnPath(['convert']));
    const magick = convert && (await isRealImageMagick(convert)) ? convert : null;
    const imRow = newRow('ImageMagick convert -define jpeg:extent=600KB');

    // Warm up the library once so that the first photo does not pay for loading it.
    await fitImageToBudget(photos[0] ?? '', { maxBytes: BUDGET, measureSsim: false });
    for (const photo of photos) {
      for (const [index, variant] of variants.entries()) {
        const row = rows[index];
        if (!row) continue;
        const started = performance.now();
        const cpu = process.cpuUsage();
        const result = await fitImageToBudget(photo, variant.options);
        const used = process.cpuUsage(cpu);
        const time = { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
        const detail = `${result.width}×${result.height} q${result.quality} ${result.encodes}+${result.sampleEncodes}s`;
        await measure(row, photo, result.buffer, time, fullSsim && index !== 3 && index !== 4, detail);
      }
      if (magick) {
        const out = `${photo}.im.jpg`;
        const started = performance.now();
        const cpuMs = await magickCpuMs(magick, [photo, '-define', 'jpeg:extent=600KB', out]);
        const time = { ms: performance.now() - started, cpuMs };
        await measure(imRow, photo, await readFile(out), time, fullSsim, 'full resolution');
      }
    }
    const all = magick ? [...rows, imRow] : rows;
    const imMs = median(imRow.ms);
    const imCpu = median(imRow.cpuMs);
    const lines = [
      `Fit ${count} photo-like ${WIDTH}×${HEIGHT} JPEGs (q92, median ${(median(sourceSizes) / 1e6).toFixed(2)} MB) into ${BUDGET} bytes; one process, sharp concurrency ${sharp.concurrency()}.`,
      '',
      '| method | median wall ms/photo | median CPU ms/photo | × faster (wall / CPU) | median SSIM (1024 px) | median SSIM (full res) | within budget | median output KB | typical result |',
      '|---|---|---|---|---|---|---|---|---|',
      ...all.map((row) => {
        const ms = median(row.ms);
        const cpuMs = median(row.cpuMs);
        const speed = magick ? `${(imMs / ms).toFixed(2)} / ${(imCpu / cpuMs).toFixed(2)}` : 'n/a';
        const full = row.ssimFull.length > 0 ? median(row.ssimFull).toFixed(4) : '–';
        const typical = row.detail[Math.floor(row.detail.length / 2)] ?? '';
        return `| ${row.label} | ${ms.toFixed(0)} | ${cpuMs.toFixed(0)} | ${speed} | ${median(row.ssim1024).toFixed(4)} | ${full} | ${row.within}/${row.ms.length} | ${(median(row.bytes) / 1024).toFixed(0)} | ${typical} |`;
      }),
    ];
    if (!magick) lines.push('', 'ImageMagick (/usr/bin/convert) is not installed: no baseline in this run.');
    lines.push(
      '',
      `Load average during the run: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(', ')} on ${cpus().length} cores.`,
    );
    lines.push(
      '',
      'SSIM: grey, 11×11 Gaussian window, against the original photo resized to 1024 px (display size) or compared at 4000×3000. "typical result": size, quality, full encodes + sample encodes of the median photo.',
    );
    return lines.join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (table) => console.log(table),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
