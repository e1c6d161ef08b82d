// Server and worker processes started the way an operator starts them, for the multi-instance
// tests: `node --import tsx src/server/main.ts serve|worker` with the scale engines in env.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startInstance(
  name: string,
  command: 'serve' | 'worker',
  env: Record<string, string>,
): Promise<Instance> {
  const port = command === 'serve' ? await freePort() : 0;
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', command], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      PORT: String(port),
      PUBLIC_URL: url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const instance: Instance = {
    name,
    url,
    child,
    output: () => printed,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  const ready =
    command === 'serve'
      ? async () =>
          fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
      : async () => printed.includes('worker running jobs');
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${printed}`);
    if (await ready()) return instance;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await instance.stop();
  throw new Error(`${name} did not become ready:\n${printed}`);
}
