// A real S3-compatible server for tests: s3rver on a free loopback port with a throwaway
// directory, in a child process. One per test file (startS3Server), or one per run through
// the global setup when TEST_S3=1 (see s3-global-setup.ts), with a bucket per harness.
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { S3Config } from '../../src/server/config.js';

// s3rver's built-in account.
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
// The SDK versions pinned for Node 20 warn once that later ones will want Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface S3Endpoint {
  endpoint: string;
  /** A configuration as S3_* would give, for `bucket`. */
  config(bucket: string): S3Config;
  /** The S3_* variables for `bucket`. */
  env(bucket: string): Record<string, string>;
  /** Creates a bucket with a fresh name and returns the name. */
  createBucket(): Promise<string>;
  /** Every object key in `bucket` under `prefix`. */
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
}

export interface S3TestServer extends S3Endpoint {
  close(): Promise<void>;
}

export function s3Endpoint(endpoint: string): S3Endpoint {
  const config = (bucket: string): S3Config => ({
    endpoint,
    region: 'us-east-1',
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET_KEY,
    forcePathStyle: true,
    presignedDownloads: false,
  });
  const client = () =>
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
  return {
    endpoint,
    config,
    env: (bucket) => ({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: SECRET_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    }),
    async createBucket() {
      const bucket = `test-${randomBytes(6).toString('hex')}`;
      const s3 = client();
      try {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      } finally {
        s3.destroy();
      }
      return bucket;
    },
    async listKeys(bucket, prefix = '') {
      const s3 = client();
      const keys: string[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          );
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } finally {
        s3.destroy();
      }
      return keys;
    },
  };
}

const SERVER_SCRIPT = fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url));

export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const child = spawn(process.execPath, [SERVER_SCRIPT, directory], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited before listening (code ${code}).`)));
    child.once('error', reject);
  });
  return {
    ...s3Endpoint(`http://127.0.0.1:${port}`),
    async close() {
      child.stdin!.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
