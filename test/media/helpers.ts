// Shared helpers for the media tests: a temporary directory per file, tool lookups, and an
// independent metadata reader (exiftool) to check what the transforms leave behind.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { findOnPath } from '../../src/server/media/transform/media-tools.js';

const exec = promisify(execFile);

/** A fresh directory for the current test file, removed afterwards. */
export function useTempDir(): {
  path: (name: string) => string;
  write: (name: string, data: Buffer) => Promise<string>;
} {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-test-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const path = (name: string): string => join(dir, name);
  return {
    path,
    write: async (name, data) => {
      await writeFile(path(name), data);
      return path(name);
    },
  };
}

export const toolOnPath = (name: string): Promise<string | null> => findOnPath([name]);

/** All tags exiftool finds in a file, group-prefixed (e.g. "GPS:GPSLatitude"), or null without exiftool. */
export async function exiftoolTags(path: string): Promise<Record<string, unknown> | null> {
  const exiftool = await toolOnPath('exiftool');
  if (!exiftool) return null;
  const { stdout } = await exec(exiftool, ['-j', '-G1', '-a', path]);
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'object' || parsed[0] === null) return {};
  return parsed[0] as Record<string, unknown>;
}

export const gpsOrCameraKeys = (tags: Record<string, unknown>): string[] =>
  Object.keys(tags).filter(
    (key) => /^(GPS|IFD0|ExifIFD|XMP|IPTC|Photoshop|MakerNotes)/i.test(key) || /GPS/i.test(key),
  );
