import { chmod, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import {
  describeMediaTools,
  detectMediaTools,
  findOnPath,
  resolveTool,
} from '../../src/server/media/transform/media-tools.js';
import { runTool } from '../../src/server/media/transform/run-tool.js';
import { useTempDir } from './helpers.js';

const tmp = useTempDir();

const failure = (promise: Promise<unknown>): Promise<AppError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    },
  );

describe('runTool', () => {
  it('returns standard output', async () => {
    const { stdout } = await runTool('/bin/sh', ['-c', 'printf hello'], { timeoutMs: 10_000 });
    expect(stdout.toString()).toBe('hello');
  });

  it('kills a tool that runs past its time limit', async () => {
    const error = await failure(runTool('/bin/sh', ['-c', 'sleep 30'], { timeoutMs: 200 }));
    expect(error.code).toBe('file_corrupt');
    expect(error.details).toMatchObject({ reason: 'timeout', tool: 'sh' });
  });

  it('kills a tool whose output passes the cap', async () => {
    const error = await failure(
      runTool('/bin/sh', ['-c', 'head -c 10000000 /dev/zero'], { timeoutMs: 10_000, maxOutputBytes: 4096 }),
    );
    expect(error.code).toBe('payload_too_large');
    expect(error.details).toMatchObject({ reason: 'output_limit' });
  });

  it('reports a non-zero exit with the last line of standard error', async () => {
    const error = await failure(
      runTool('/bin/sh', ['-c', 'echo noise >&2; echo "bad header" >&2; exit 3'], { timeoutMs: 10_000 }),
    );
    expect(error.code).toBe('file_corrupt');
    expect(error.message).toContain('bad header');
    expect(error.details).toMatchObject({ reason: 'exit', exitCode: 3 });
  });

  it('reports a missing tool as unsupported_media', async () => {
    const error = await failure(runTool('/nonexistent/ffmpeg', [], { timeoutMs: 1000 }));
    expect(error.code).toBe('unsupported_media');
    expect(error.details).toMatchObject({ reason: 'missing', tool: 'ffmpeg' });
  });
});

describe('detectMediaTools', () => {
  it('finds tools on a given PATH, with the Chromium version', async () => {
    const fake = async (name: string, script: string) => {
      const path = await tmp.write(name, Buffer.from(`#!/bin/sh\n${script}\n`));
      await chmod(path, 0o755);
    };
    await fake('ffmpeg', 'exit 0');
    await fake('chromium', 'echo "Chromium 131.0.6778.85 built on Debian"');
    await writeFile(tmp.path('pdftoppm'), 'not executable');
    const dir = tmp.path('');
    const tools = await detectMediaTools({ pathEnv: dir });
    expect(tools.ffmpeg).toEqual({ available: true, path: tmp.path('ffmpeg') });
    expect(tools.pdftoppm).toEqual({ available: false, path: null });
    expect(tools.ffprobe.available).toBe(false);
    expect(tools.heifConvert.available).toBe(false);
    expect(tools.chromium).toEqual({ available: true, path: tmp.path('chromium'), version: '131.0.6778.85' });
    const lines = describeMediaTools(tools);
    expect(lines).toContain(`ffmpeg (video poster, transcodes): ${tmp.path('ffmpeg')}`);
    expect(lines).toContain('pdftoppm (PDF first page): missing');
    expect(lines).toContain(`chromium: ${tmp.path('chromium')} (131.0.6778.85)`);
  });

  it('caches the PATH lookup and lets overrides win', async () => {
    const first = await detectMediaTools();
    expect(await detectMediaTools()).toBe(first);
    expect(await resolveTool('ffmpeg', { ffmpeg: null })).toBeNull();
    expect(await resolveTool('ffmpeg', { ffmpeg: '/opt/ffmpeg' })).toBe('/opt/ffmpeg');
    expect(await resolveTool('pdfinfo', {})).toBe(first.pdfinfo.path);
    expect(await findOnPath(['sh'], '/nonexistent:/bin')).toBe('/bin/sh');
  });
});
