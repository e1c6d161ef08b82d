// Temporary outputs of the transforms (converted HEIC, transcoded audio and video): each lives
// alone in a fresh directory so that disposing of it cannot touch anything else.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const PREFIX = 'switchboard-media-';

export const makeTempDir = (): Promise<string> => mkdtemp(join(tmpdir(), PREFIX));

/** Removes a temporary output and its directory; ignores paths that this module did not create. */
export async function disposeTempOutput(path: string): Promise<void> {
  const dir = dirname(path);
  if (!basename(dir).startsWith(PREFIX) || dirname(dir) !== tmpdir()) return;
  await rm(dir, { recursive: true, force: true });
}
