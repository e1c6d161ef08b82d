import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { BlobStore } from '../../src/server/infra/blobs/blob-store.js';
import { createLocalBlobStore } from '../../src/server/infra/blobs/local-blob-store.js';
import { blobStoreContract } from './blob-store-contract.js';

let dataDir: string;
let store: BlobStore;

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) found.push(...(await walk(join(dir, entry.name))));
    else found.push(entry.name);
  }
  return found;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-blobs-'));
  store = createLocalBlobStore(dataDir);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('local blob store', () => {
  blobStoreContract(() => ({
    store,
    dataDir,
    storedKeys: () => walk(join(dataDir, 'blobs')),
    stagedLeftovers: async () => [],
  }));
});
