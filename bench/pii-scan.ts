// Benchmark of screenshot personal-data detection: renders synthetic screenshots with
// planted personal data and distractors, scans them, and prints recall and precision per
// kind and the scan time per screenshot, for the shipped preprocessing and for a baseline
// (greyscale only: no upscaling, no inversion of dark themes) measured in the same run.
//
//   node --import tsx bench/pii-scan.ts [--count 28] [--seed 20240501] [--save bench/results/pii]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { boxesOverlap } from '../src/server/media/redaction/boxes.js';
import { createOcrPool } from '../src/server/media/redaction/ocr-pool.js';
import type { PreprocessOptions } from '../src/server/media/redaction/ocr-preprocess.js';
import { scanImageForPersonalData } from '../src/server/media/redaction/scan-image.js';
import { findingKinds, type Finding, type FindingKind } from '../src/server/media/redaction/types.js';
import { renderScene, type Planted } from './pii/render.js';
import { scenes } from './pii/scenes.js';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const count = Number(argument('count') ?? 28);
const seed = Number(argument('seed') ?? 20240501);
const saveDir = argument('save');

interface Shot {
  name: string;
  png: Buffer;
  planted: Planted[];
}

interface Run {
  label: string;
  ms: number[];
  found: Finding[][];
}

const configs: Array<{ label: string; preprocess: PreprocessOptions }> = [
  { label: 'baseline: greyscale only', preprocess: { normalise: false, upscaleBelowWidth: 0 } },
  { label: 'shipped preprocessing', preprocess: {} },
  ...(process.env.PII_BENCH_VARIANT
    ? [{ label: 'variant', preprocess: JSON.parse(process.env.PII_BENCH_VARIANT) as PreprocessOptions }]
    : []),
];

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const pct = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;

async function runConfig(shots: Shot[], label: string, preprocess: PreprocessOptions): Promise<Run> {
  const pool = createOcrPool({ size: 1, preprocess });
  await pool.recognize(shots[0]?.png ?? Buffer.alloc(0)); // start the worker outside the timings
  const ms: number[] = [];
  const found: Finding[][] = [];
  for (const shot of shots) {
    const result = await scanImageForPersonalData(shot.png, { pool });
    ms.push(result.ms);
    found.push(result.findings);
  }
  await pool.close();
  return { label, ms, found };
}

function score(shots: Shot[], run: Run) {
  const perKind = new Map<FindingKind, { planted: number; hit: number; findings: number; correct: number }>();
  const misses: string[] = [];
  const falsePositives: string[] = [];
  for (const kind of findingKinds) perKind.set(kind, { planted: 0, hit: 0, findings: 0, correct: 0 });
  shots.forEach((shot, index) => {
    const findings = run.found[index] ?? [];
    for (const item of shot.planted) {
      const entry = perKind.get(item.kind);
      if (!entry) continue;
      entry.planted += 1;
      if (findings.some((f) => f.kind === item.kind && boxesOverlap(f.box, item.box))) entry.hit += 1;
      else misses.push(`${shot.name}: ${item.kind} "${item.text}"`);
    }
    for (const finding of findings) {
      const entry = perKind.get(finding.kind);
      if (!entry) continue;
      entry.findings += 1;
      if (shot.planted.some((item) => item.kind === finding.kind && boxesOverlap(finding.box, item.box)))
        entry.correct += 1;
      else falsePositives.push(`${shot.name}: ${finding.kind} "${finding.text}"`);
    }
  });
  return { perKind, misses, falsePositives };
}

async function throughput(shots: Shot[]): Promise<number> {
  const pool = createOcrPool({ size: 2 });
  await Promise.all([
    pool.recognize(shots[0]?.png ?? Buffer.alloc(0)),
    pool.recognize(shots[1]?.png ?? Buffer.alloc(0)),
  ]);
  const started = performance.now();
  await Promise.all(shots.map((shot) => scanImageForPersonalData(shot.png, { pool })));
  const elapsed = performance.now() - started;
  await pool.close();
  return elapsed / shots.length;
}

const shots: Shot[] = [];
for (const scene of scenes(count, seed)) {
  const { png, planted } = await renderScene(scene);
  shots.push({ name: scene.name, png, planted });
  if (saveDir) {
    await mkdir(saveDir, { recursive: true });
    await writeFile(join(saveDir, `${scene.name.replace(/[^\w@-]+/g, '_')}.png`), png);
  }
}
const sizes = await Promise.all(shots.map(async (shot) => (await sharp(shot.png).metadata()).width));
process.stderr.write(`rendered ${shots.length} screenshots (${new Set(sizes).size} widths), scanning…\n`);

const runs: Run[] = [];
for (const config of configs) runs.push(await runConfig(shots, config.label, config.preprocess));
const perImage = await throughput(shots);

const lines: string[] = [];
lines.push(
  `### Personal-data scan: ${shots.length} synthetic screenshots (seed ${seed}), ${shots.reduce((n, s) => n + s.planted.length, 0)} planted items`,
);
lines.push('');
lines.push('| configuration | kind | planted | recall | findings | precision |');
lines.push('|---|---|---:|---:|---:|---:|');
const scores = runs.map((run) => ({ run, ...score(shots, run) }));
for (const { run, perKind } of scores) {
  let planted = 0;
  let hit = 0;
  let findings = 0;
  let correct = 0;
  for (const [kind, entry] of perKind) {
    lines.push(
      `| ${run.label} | ${kind} | ${entry.planted} | ${pct(entry.hit, entry.planted)} | ${entry.findings} | ${pct(entry.correct, entry.findings)} |`,
    );
    planted += entry.planted;
    hit += entry.hit;
    findings += entry.findings;
    correct += entry.correct;
  }
  lines.push(
    `| ${run.label} | **all** | ${planted} | **${pct(hit, planted)}** | ${findings} | **${pct(correct, findings)}** |`,
  );
}
lines.push('');
lines.push('| configuration | median ms / screenshot | p95 ms | max ms |');
lines.push('|---|---:|---:|---:|');
for (const run of runs) {
  lines.push(
    `| ${run.label} (1 worker, one at a time) | ${percentile(run.ms, 50)} | ${percentile(run.ms, 95)} | ${Math.max(...run.ms)} |`,
  );
}
lines.push(`| shipped, 2 workers, all at once (wall time ÷ screenshots) | ${perImage.toFixed(0)} | | |`);
for (const { run, misses, falsePositives } of scores) {
  lines.push('');
  lines.push(`Missed (${run.label}): ${misses.length === 0 ? 'none' : ''}`);
  for (const miss of misses) lines.push(`- ${miss}`);
  lines.push(`False positives (${run.label}): ${falsePositives.length === 0 ? 'none' : ''}`);
  for (const falsePositive of falsePositives) lines.push(`- ${falsePositive}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
