// Staging on S3: the source streams through the meter (SHA-256, size cap, head and tail) into
// a multipart upload under `staging/<token>` and, on the same pass, into a spool file on the
// local disk that header probes and parsers read. Memory holds at most a few upload parts.
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { newToken } from '../ids.js';
import { MeteredStream } from './metered-stream.js';

/** S3's smallest part; with two in flight an upload holds about 15 MiB whatever the file size. */
export const PART_BYTES = 5 * 1024 * 1024;
export const PARTS_IN_FLIGHT = 2;
export const STAGING_PREFIX = 'staging/';

export interface S3Staged {
  sha256: string;
  size: number;
  head: Buffer;
  tail: Buffer;
  stagingKey: string;
  localPath: string;
}

/** Writes a chunk and waits for the target to drain; rejects when the target fails or closes. */
async function write(target: Writable, chunk: Buffer): Promise<void> {
  if (target.destroyed) throw target.errored ?? new Error('The staging stream closed early.');
  if (target.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      target.off('drain', onDrain).off('close', onClose).off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(target.errored ?? new Error('The staging stream closed early.'));
    target.on('drain', onDrain).on('close', onClose).on('error', settle);
  });
}

export async function stageToS3(
  client: S3Client,
  bucket: string,
  spoolDir: string,
  source: Readable,
  maxBytes: number,
): Promise<S3Staged> {
  await mkdir(spoolDir, { recursive: true });
  const token = newToken(12);
  const localPath = join(spoolDir, `stage-${token}`);
  const stagingKey = `${STAGING_PREFIX}${token}`;
  const meter = new MeteredStream(maxBytes);
  const file = createWriteStream(localPath, { flags: 'wx' });
  const body = new PassThrough();
  // Their errors surface through `write` and `finished`; these keep a late one from going unhandled.
  file.on('error', () => undefined);
  body.on('error', () => undefined);
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: stagingKey, Body: body },
    partSize: PART_BYTES,
    queueSize: PARTS_IN_FLIGHT,
    leavePartsOnError: false,
  });
  // A failing upload stops the pass at once instead of leaving it waiting for a drain.
  const uploaded = upload.done().catch((error: unknown) => {
    body.destroy(error as Error);
    throw error;
  });
  uploaded.catch(() => undefined);

  try {
    await pipeline(source, meter, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        await write(file, chunk);
        await write(body, chunk);
      }
      file.end();
      body.end();
      await finished(file);
    });
    await uploaded;
  } catch (error) {
    source.resume();
    // Failing the body makes the upload abort its multipart upload before `uploaded` settles.
    body.destroy(error as Error);
    file.destroy();
    await uploaded.catch(() => undefined);
    await Promise.all([
      rm(localPath, { force: true }),
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key: stagingKey })).catch(() => undefined),
    ]);
    throw error;
  }
  return { ...meter.digest(), stagingKey, localPath };
}
