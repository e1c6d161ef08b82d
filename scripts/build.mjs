// Builds the server (tsc), the agent app and the widget (Vite). With --if-stale, each part is
// rebuilt only when one of its sources is newer than its last build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');
const say = (text) => process.stderr.write(`[switchboard] ${text}\n`);

function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (info.mtimeMs > latest) latest = info.mtimeMs;
  };
  for (const path of paths) visit(join(root, path));
  return latest;
}

function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

const parts = [
  {
    name: 'server',
    sources: ['src/server', 'src/shared', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    stamp: 'dist/.server-built',
    command: [bin('tsc'), ['-p', 'tsconfig.build.json']],
  },
  {
    name: 'agent app',
    sources: ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'],
    stamp: 'dist/.web-built',
    command: [bin('vite'), ['build', '--logLevel', 'warn']],
    when: () => existsSync(join(root, 'src/web/index.html')),
  },
  {
    name: 'widget',
    sources: ['src/widget', 'src/shared', 'vite.widget.config.ts', 'package-lock.json'],
    stamp: 'dist/.widget-built',
    command: [bin('vite'), ['build', '--config', 'vite.widget.config.ts', '--logLevel', 'warn']],
    when: () => existsSync(join(root, 'vite.widget.config.ts')),
  },
  {
    name: 'simulator page',
    sources: ['src/simulator', 'src/shared', 'vite.simulator.config.ts', 'package-lock.json'],
    stamp: 'dist/.simulator-built',
    command: [bin('vite'), ['build', '--config', 'vite.simulator.config.ts', '--logLevel', 'warn']],
    when: () => existsSync(join(root, 'vite.simulator.config.ts')),
  },
];

mkdirSync(join(root, 'dist'), { recursive: true });
for (const part of parts) {
  if (part.when && !part.when()) continue;
  const stamp = join(root, part.stamp);
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (ifStale && built >= newest(part.sources)) continue;
  say(`building the ${part.name}…`);
  const started = Date.now();
  const [command, args] = part.command;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`building the ${part.name} failed; the messages above name the file and line.`);
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString());
  say(`built the ${part.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
