// Blobs on S3-compatible storage: `blobs/ab/cd/<sha256>`, staged under `staging/` by a
// streamed multipart upload and copied into place on commit (CopyObject, so a reader never
// sees half an object). Local files (spool copies, downloads for tools) live in DATA_DIR/tmp,
// which housekeeping prunes like the local store's staging.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Config } from '../../config.js';
import { newToken } from '../ids.js';
import type { BlobStat, BlobStore, ByteRange, DownloadUrlOptions, StagedBlob } from './blob-store.js';
import { FirstBytes } from './first-bytes.js';
import { createS3Client, isNotFound, pingBucket } from './s3-client.js';
import { STAGING_PREFIX, stageToS3 } from './s3-stage.js';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface S3BlobStoreOptions {
  config: S3Config;
  /** DATA_DIR: spool copies and temporary downloads go to DATA_DIR/tmp. */
  dataDir: string;
}

export interface S3BlobStore extends BlobStore {
  /** The object key of a blob: `blobs/ab/cd/<sha256>`. */
  objectKey(key: string): string;
}

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const { config } = options;
  const bucket = config.bucket;
  const client = createS3Client(config);
  const spool = join(options.dataDir, 'tmp');

  const objectKey = (key: string): string => {
    if (!KEY_PATTERN.test(key)) throw new Error(`Not a blob key: ${key}`);
    return `blobs/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
  };

  const head = async (objectName: string): Promise<number | null> => {
    try {
      const found = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectName }));
      return found.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

  const remove = async (objectName: string): Promise<void> => {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectName }));
  };

  const getStream = async (objectName: string, range?: ByteRange): Promise<Readable> => {
    const response = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: objectName,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    );
    if (!(response.Body instanceof Readable)) throw new Error(`S3 returned no stream for ${objectName}.`);
    const wanted = range ? range.end - range.start + 1 : undefined;
    // Some S3-compatible servers answer `bytes=0-0` with the rest of the object (the range's
    // start is honoured, the end is not): pass on only the bytes that were asked for.
    if (wanted !== undefined && (response.ContentLength ?? 0) > wanted) {
      const trimmed = new FirstBytes(wanted);
      pipeline(response.Body, trimmed).catch(() => undefined);
      return trimmed;
    }
    return response.Body;
  };

  return {
    kind: 's3',
    objectKey,

    async stage(source, { maxBytes }): Promise<StagedBlob> {
      const staged = await stageToS3(client, bucket, spool, source, maxBytes);
      const target = objectKey(staged.sha256);
      let state: 'staged' | 'committed' | 'discarded' = 'staged';
      // A staging object that cannot be removed now is left to `pruneStaging`.
      const cleanUp = async () => {
        await Promise.all([
          remove(staged.stagingKey).catch(() => undefined),
          rm(staged.localPath, { force: true }),
        ]);
      };
      return {
        sha256: staged.sha256,
        size: staged.size,
        head: staged.head,
        tail: staged.tail,
        localPath: staged.localPath,
        async commit() {
          if (state === 'committed') return staged.sha256;
          if (state === 'discarded') throw new Error('The staged bytes were discarded before the commit.');
          // The same bytes may already be stored: then the copy is skipped (content addressing).
          if ((await head(target)) === null) {
            await client.send(
              new CopyObjectCommand({
                Bucket: bucket,
                Key: target,
                CopySource: `${encodeURIComponent(bucket)}/${staged.stagingKey}`,
              }),
            );
          }
          state = 'committed';
          await cleanUp();
          return staged.sha256;
        },
        async discard() {
          if (state !== 'staged') return;
          state = 'discarded';
          await cleanUp();
        },
      };
    },

    async putBuffer(bytes: Buffer) {
      const key = createHash('sha256').update(bytes).digest('hex');
      const target = objectKey(key);
      // A single PUT is atomic on S3: no staging needed for a buffer already in memory.
      if ((await head(target)) === null) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: bytes }));
      }
      return { key, size: bytes.length };
    },

    read(key: string, range?: ByteRange): Promise<Readable> {
      return getStream(objectKey(key), range);
    },

    async stat(key: string): Promise<BlobStat | null> {
      const size = await head(objectKey(key));
      return size === null ? null : { size };
    },

    async delete(key: string) {
      await remove(objectKey(key));
    },

    async withLocalFile(key, work) {
      await mkdir(spool, { recursive: true });
      const path = join(spool, `read-${newToken(12)}`);
      try {
        await pipeline(await getStream(objectKey(key)), createWriteStream(path, { flags: 'wx' }));
        return await work(path);
      } finally {
        await rm(path, { force: true });
      }
    },

    ping: () => pingBucket(client, config),

    async downloadUrl(key: string, download: DownloadUrlOptions) {
      if (!config.presignedDownloads) return null;
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(key),
        ResponseContentType: download.contentType,
        ResponseContentDisposition: download.contentDisposition,
        ResponseCacheControl: download.cacheControl,
      });
      return getSignedUrl(client, command, { expiresIn: download.expiresInSeconds });
    },

    async pruneStaging(before: number) {
      let removed = 0;
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: STAGING_PREFIX, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key && object.LastModified && object.LastModified.getTime() < before) {
            await remove(object.Key);
            removed += 1;
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return removed;
    },

    close() {
      client.destroy();
    },
  };
}
