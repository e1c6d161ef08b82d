// An S3-compatible server (s3rver) on loopback for tests and benchmarks, in a process of its
// own so its memory and CPU stay out of the measured process. Stores in the directory given
// as the first argument, prints {"port": N} once it listens, and stops on SIGTERM or when
// its standard input closes (the parent went away).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
import S3Object from 's3rver/lib/models/object.js';

// s3rver keeps each object in files it rewrites in place, answers a PUT before the bytes are
// flushed, and removes a key's parent directories once they are empty after a delete. Under
// concurrent use that lets a reader see half an object (or a length that does not match the
// bytes, which stalls the connection) and makes a write under the same prefix fail with an
// unhandled error that ends the server. S3 itself has atomic PUTs and no directories, so the
// store is patched to write to a temporary file and rename it into place, and to keep prefixes.
const ALLOWED_METADATA = new Set(S3Object.ALLOWED_METADATA);
const temporaryOf = (path) => `${path}.${randomBytes(6).toString('hex')}.tmp`;

async function replaceAtomically(path, write) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryOf(path);
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

const ignoreMissing = (error) => {
  if (error.code !== 'ENOENT') throw error;
};

FilesystemStore.prototype.putMetadata = async function putMetadata(bucket, key, metadata, md5) {
  const json = Object.fromEntries(
    Object.entries(metadata ?? {}).filter(
      ([name]) => ALLOWED_METADATA.has(name) || name.startsWith('x-amz-meta-'),
    ),
  );
  if (md5) {
    await replaceAtomically(this.getResourcePath(bucket, key, 'object.md5'), (path) => writeFile(path, md5));
  }
  await replaceAtomically(this.getResourcePath(bucket, key, 'metadata.json'), (path) =>
    writeFile(path, JSON.stringify(json, null, 2)),
  );
};

FilesystemStore.prototype.putObject = async function putObject(object) {
  const md5 = createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  const meter = new Transform({
    transform(chunk, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await replaceAtomically(this.getResourcePath(object.bucket, object.key, 'object'), (path) =>
    pipeline(source, meter, createWriteStream(path)),
  );
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

FilesystemStore.prototype.copyObject = async function copyObject(
  srcBucket,
  srcKey,
  destBucket,
  destKey,
  replacementMetadata,
) {
  const same = srcBucket === destBucket && srcKey === destKey;
  if (!same) {
    for (const resource of ['object', 'object.md5', 'metadata.json']) {
      const from = this.getResourcePath(srcBucket, srcKey, resource);
      const to = this.getResourcePath(destBucket, destKey, resource);
      await replaceAtomically(to, (path) => copyFile(from, path)).catch(
        resource === 'object' ? (error) => Promise.reject(error) : ignoreMissing,
      );
    }
  }
  if (replacementMetadata) await this.putMetadata(destBucket, destKey, replacementMetadata);
  return this.getMetadata(destBucket, destKey);
};

FilesystemStore.prototype.deleteObject = async function deleteObject(bucket, key) {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map((resource) =>
      unlink(this.getResourcePath(bucket, key, resource)).catch(ignoreMissing),
    ),
  );
};

const directory = process.argv[2];
if (!directory) {
  process.stderr.write('usage: s3rver-process.mjs <directory>\n');
  process.exit(2);
}
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
