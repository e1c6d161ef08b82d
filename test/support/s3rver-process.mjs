// An S3-compatible server (s3rver) on loopback for tests and benchmarks, in a process of its
// own so its memory and CPU stay out of the measured process. Stores in the directory given
// as the first argument, prints {"port": N} once it listens, and stops on SIGTERM or when
// its standard input closes (the parent went away).
import { unlink } from 'node:fs/promises';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

// s3rver removes a key's parent directories once they are empty after a delete, racing with a
// concurrent write under the same prefix (its mkdir then open fails, an unhandled stream error
// that ends the server). Object stores have no directories: keep them.
FilesystemStore.prototype.deleteObject = async function deleteObject(bucket, key) {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map((resource) =>
      unlink(this.getResourcePath(bucket, key, resource)).catch((error) => {
        if (error.code !== 'ENOENT') throw error;
      }),
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
