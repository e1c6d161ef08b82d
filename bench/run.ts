// npm run bench [-- name …]: runs the benchmarks one after another, each in its own process,
// each printing its table with the baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const all = [
  ['upload', 'one 200 MB upload against cp'],
  ['upload-s3', 'one 200 MB upload to S3 (s3rver) against local disk'],
  ['thumbnails', '50 twelve-megapixel thumbnails against vipsthumbnail'],
  ['open-ticket', 'open a ticket in 100,000 tickets / 1,000,000 messages (SQLite, PostgreSQL)'],
  ['fit-image', 'fit 20 photos into 600 KB against ImageMagick'],
  ['pii-scan', 'personal data in screenshots: recall, precision, time'],
  ['widget', 'widget size and time to bubble'],
  ['agent-app', 'agent app: first view of a 2,000-message ticket'],
  ['meta-inbound', 'WhatsApp webhook with five photos: answer time and media fetched'],
  ['webhooks', 'inbound text webhooks to the agent socket: embedded, scale with 1 and 2 web instances'],
] as const;

const wanted = process.argv.slice(2);
const chosen = wanted.length ? all.filter(([name]) => wanted.includes(name)) : all;
let failed = 0;
for (const [name, what] of chosen) {
  const file = join('bench', `${name}.ts`);
  if (!existsSync(file)) continue;
  process.stdout.write(`\n## ${name}: ${what}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`(${name} did not finish: exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
