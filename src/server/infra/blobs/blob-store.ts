// The storage port for media bytes. Blobs are content-addressed (the key is the SHA-256 of
// the bytes), written by streaming through a staging area while the hash is computed, and
// never derive their key from a file name.
import type { Readable } from 'node:stream';

export interface ByteRange {
  start: number;
  /** Inclusive, like HTTP's Range. */
  end: number;
}

export interface StagedBlob {
  sha256: string;
  size: number;
  /** The first bytes of the stream (up to 64 KiB), for sniffing the type. */
  head: Buffer;
  /** The last bytes of the stream (up to 32 bytes), for spotting truncated files. */
  tail: Buffer;
  /** A local file holding the staged bytes, for header probes before committing. */
  localPath: string;
  /** Moves the bytes to their content address and returns the key. Idempotent. */
  commit(): Promise<string>;
  /** Drops the staged bytes. Safe to call after commit (then it does nothing). */
  discard(): Promise<void>;
}

export interface BlobStat {
  size: number;
}

/** Response headers a storage-served download must carry (S3 sets them on a presigned GET). */
export interface DownloadUrlOptions {
  expiresInSeconds: number;
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
}

export interface BlobStore {
  readonly kind: string;
  /** Streams `source` into staging. Rejects with `payload_too_large` the moment `maxBytes` is passed. */
  stage(source: Readable, options: { maxBytes: number }): Promise<StagedBlob>;
  /** Stores a small buffer (a derivative) directly. */
  putBuffer(bytes: Buffer): Promise<{ key: string; size: number }>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<BlobStat | null>;
  delete(key: string): Promise<void>;
  /** Runs `work` with a local file path holding the blob (the file itself, or a temporary copy). */
  withLocalFile<T>(key: string, work: (path: string) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * A short-lived URL that serves the blob straight from storage (a presigned S3 GET), for
   * stores configured to hand out such links; absent or null means downloads stream through
   * the server.
   */
  downloadUrl?(key: string, options: DownloadUrlOptions): Promise<string | null>;
  /** Removes staged bytes a crash left behind before `before` (ms since the epoch); returns how many. */
  pruneStaging?(before: number): Promise<number>;
  /** Releases connections at shutdown. */
  close?(): void;
}
