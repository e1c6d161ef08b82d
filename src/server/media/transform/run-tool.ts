// Runs an external media tool (ffmpeg, pdftoppm, heif-convert…) with a time limit and a cap on
// what it may print, and turns every way it can fail into an AppError with a stable code.
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { AppError } from '../../errors.js';

export interface RunToolOptions {
  /** The tool is killed (SIGKILL) when it runs longer than this. */
  timeoutMs: number;
  /** The tool is killed when its standard output grows past this many bytes. Default 64 MiB. */
  maxOutputBytes?: number;
  cwd?: string;
  /** Extra environment variables; the tool otherwise inherits this process's environment. */
  env?: Record<string, string>;
}

export interface ToolResult {
  stdout: Buffer;
  /** The last few kilobytes of standard error, for diagnostics. */
  stderr: string;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const STDERR_KEEP = 8 * 1024;

/** The last meaningful line of a tool's diagnostics, short enough for a message. */
export const lastLine = (text: string): string =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .at(-1)
    ?.slice(0, 300) ?? '';

export function runTool(
  command: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolResult> {
  const tool = basename(command);
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, LC_ALL: 'C', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      // Its own process group, so that a kill also reaches anything the tool started.
      detached: true,
    });
    const chunks: Buffer[] = [];
    let outputBytes = 0;
    let stderr = '';
    let failure: AppError | undefined;

    let settled = false;
    const stop = (error: AppError): void => {
      failure ??= error;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      // Should a descendant outside the group keep the pipes open, do not wait for it.
      setTimeout(() => {
        if (!settled) {
          settled = true;
          reject(error);
        }
      }, 2000).unref();
    };
    const timer = setTimeout(
      () =>
        stop(
          new AppError(
            'file_corrupt',
            `${tool} did not finish within ${Math.round(options.timeoutMs / 100) / 10} s; the file may be damaged or too complex.`,
            { tool, reason: 'timeout' },
          ),
        ),
      options.timeoutMs,
    );

    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > maxOutput) {
        stop(
          new AppError('payload_too_large', `${tool} produced more than ${maxOutput} bytes of output.`, {
            tool,
            reason: 'output_limit',
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (error.code === 'ENOENT') {
        reject(
          new AppError('unsupported_media', `${tool} is not installed on this server.`, {
            tool,
            reason: 'missing',
          }),
        );
      } else {
        reject(new AppError('internal', `${tool} could not be started: ${error.message}`, { tool }));
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (failure) {
        reject(failure);
      } else if (code !== 0) {
        const why = lastLine(stderr) || `exit ${code ?? signal ?? 'unknown'}`;
        reject(
          new AppError('file_corrupt', `${tool} could not process the file: ${why}`, {
            tool,
            reason: 'exit',
            exitCode: code,
          }),
        );
      } else {
        resolve({ stdout: Buffer.concat(chunks), stderr });
      }
    });
  });
}
