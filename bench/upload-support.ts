// Shared by the upload benchmarks: a file of random bytes, one upload with curl, and a server
// that only receives (the floor any upload over loopback HTTP stands on).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';

export const UPLOAD_SIZE = 200 * 1024 * 1024;

export function writeRandomFile(path: string, size = UPLOAD_SIZE): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
}

/** POSTs the file as one multipart "file" part and returns the seconds until the answer. */
export function curlUpload(url: string, file: string, headers: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const output = execFileSync(
    'curl',
    [
      '-sS',
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      '-F',
      `file=@${file};type=application/octet-stream`,
      url,
    ],
    { maxBuffer: 1 << 20 },
  ).toString();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const status = output.trim().split('\n').pop();
  if (status !== '201' && status !== '200') throw new Error(`upload to ${url} failed: ${output}`);
  return seconds;
}

const DISCARD_SERVER = `
const server = require('node:http').createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => response.end('ok'));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** A Node HTTP server that reads every request body and throws it away. */
export async function startDiscardServer(): Promise<{ url: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['-e', DISCARD_SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${line.toString().trim()}/`, stop: () => child.kill() };
}
