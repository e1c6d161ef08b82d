// Composition root and command line: `serve` (HTTP and jobs), `worker` (jobs only),
// `migrate`, `doctor`.
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAccount } from './bootstrap.js';
import { allAdapters, channelRoutes, channelWorkers, starterChannels } from './channels/all-adapters.js';
import { createLogger, createRuntime, startJobs, type Runtime } from './compose.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { printDoctor } from './doctor.js';
import { buildApp } from './http/build-app.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

function announce(config: Config, email: string, password: string | null): void {
  const lines = [
    '',
    '  Switchboard is running.',
    '',
    `  Agent app:   ${config.publicUrl}/`,
    `  API docs:    ${config.publicUrl}/api/docs`,
    ...(config.simulators
      ? [
          `  Demo shop:   ${config.publicUrl}/demo   (chat with the helpdesk as a website visitor)`,
          `  Simulator:   ${config.publicUrl}/simulator   (play a customer on SMS, WhatsApp, Instagram or e-mail)`,
        ]
      : []),
    `  Sign in as:  ${email}`,
    ...(password ? [`  Password:    ${password}   (shown once: write it down, or set ADMIN_PASSWORD)`] : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function onShutdown(
  stop: () => Promise<void>,
  log: { info(msg: string): void; error(obj: unknown, msg: string): void },
): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      log.info(`${signal}: finishing in-flight requests and jobs`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'serve';
  if (command === 'doctor') {
    await printDoctor();
    return;
  }
  let config: Config;
  try {
    config = loadConfig(process.env, cpus().length);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // glibc reads this when a process starts, so here it reaches the media tools this process
  // starts; for Switchboard's own process, set it in the service's environment (OPERATIONS.md).
  process.env.MALLOC_ARENA_MAX ??= '2';
  const log = createLogger(config.logLevel, process.stdout.isTTY === true);
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, { log, adapters: allAdapters() });
  } catch (error) {
    fail((error as Error).message);
  }
  const { deps } = runtime;
  if (command === 'migrate') {
    await runtime.close();
    log.info('database is up to date');
    return;
  }
  if (command === 'worker') {
    startJobs(deps);
    log.info('worker running jobs');
    onShutdown(() => runtime.close(), log);
    return;
  }
  if (command !== 'serve') fail(`Unknown command "${command}". Use serve, worker, migrate or doctor.`);

  const first = await ensureAccount(deps, starterChannels);
  const app = await buildApp(deps, { webRoot: join(root, 'dist', 'web'), extraRoutes: channelRoutes });
  if (process.env.SERVE_JOBS !== '0') startJobs(deps);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    fail(
      `Could not listen on ${config.host}:${config.port}: ${(error as Error).message}. Set PORT to a free port.`,
    );
  }
  const workers =
    process.env.CHANNEL_WORKERS === '0' ? [] : await Promise.all(channelWorkers.map((start) => start(deps)));
  announce(config, first.email, first.generatedPassword);
  onShutdown(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await app.close();
    await runtime.close();
  }, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
