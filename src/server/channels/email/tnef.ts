// Outlook's winmail.dat (TNEF, [MS-OXTNEF]) opened into the files it carries, in one pass over
// the stored part: each attachment's bytes go straight from the blob store into a new blob, so
// memory stays flat whatever their size. Only what a customer sent as files is taken out (the
// message's own body is already in the mail's text); every attribute's checksum is verified,
// and anything unexpected (a length past the end, an unknown level) stops the reading: the
// caller then keeps winmail.dat as it came.
import { Readable } from 'node:stream';
import { isAppError } from '../../errors.js';
import type { BlobStore, StagedBlob } from '../../infra/blobs/blob-store.js';

export const TNEF_TYPES: ReadonlySet<string> = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);

const SIGNATURE = 0x223e9f78;
const LEVEL_MESSAGE = 1;
const LEVEL_ATTACHMENT = 2;
/** attAttachRendData: starts a new attachment. */
const ATT_ATTACH_REND_DATA = 0x00069002;
/** attAttachTitle: the attachment's (often 8.3) file name. */
const ATT_ATTACH_TITLE = 0x00018010;
/** attAttachData: the attachment's bytes. */
const ATT_ATTACH_DATA = 0x0006800f;
/** attAttachment: the attachment's MAPI properties (where the long file name is). */
const ATT_ATTACHMENT = 0x00069005;
/** Attributes read into memory (names, properties) are at most this long. */
const SMALL_ATTRIBUTE_BYTES = 256 * 1024;

export interface TnefFile {
  name: string | undefined;
  /** Null for an empty file. */
  blobKey: string | null;
  size: number;
}

export interface TnefLimits {
  /** Bytes one file may have (no more than the container itself may). */
  fileBytes: number;
  maxFiles: number;
}

export class TnefError extends Error {
  override name = 'TnefError';
}

/** Pulls exact byte counts from a stream, keeping at most one chunk in hand. */
class ByteReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffered: Buffer = Buffer.alloc(0);
  offset = 0;

  constructor(source: Readable) {
    this.chunks = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    const next = await this.chunks.next();
    if (next.done) return false;
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, next.value]) : next.value;
    return true;
  }

  async atEnd(): Promise<boolean> {
    return this.buffered.length === 0 && !(await this.fill());
  }

  async take(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      if (!(await this.fill())) throw new TnefError('winmail.dat ends in the middle of an attribute');
    }
    const taken = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    this.offset += count;
    return taken;
  }

  /** The next `count` bytes, piece by piece as they arrive. */
  async *pieces(count: number): AsyncGenerator<Buffer> {
    let left = count;
    while (left > 0) {
      if (this.buffered.length === 0 && !(await this.fill())) {
        throw new TnefError('winmail.dat ends in the middle of an attribute');
      }
      const piece = this.buffered.subarray(0, Math.min(left, this.buffered.length));
      this.buffered = this.buffered.subarray(piece.length);
      this.offset += piece.length;
      left -= piece.length;
      yield piece;
    }
  }
}

function checksum(bytes: Buffer, start = 0): number {
  let sum = start;
  for (let i = 0; i < bytes.length; i += 1) sum = (sum + bytes[i]!) & 0xffff;
  return sum;
}

/** A null-terminated name in the attribute, read as Latin-1 (Outlook's ANSI code page). */
function ansiName(bytes: Buffer): string | undefined {
  const end = bytes.indexOf(0);
  const text = bytes
    .subarray(0, end === -1 ? bytes.length : end)
    .toString('latin1')
    .trim();
  return text || undefined;
}

const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const FIXED_SIZES: Record<number, number> = {
  0x0002: 4,
  0x0003: 4,
  0x0004: 4,
  0x0005: 8,
  0x0006: 8,
  0x0007: 8,
  0x000a: 4,
  0x000b: 4,
  0x0014: 8,
  0x0040: 8,
  0x0048: 16,
};
const VARIABLE_TYPES = new Set([PT_STRING8, PT_UNICODE, 0x0102, 0x000d]);
const pad4 = (n: number) => (n + 3) & ~3;

/**
 * PR_ATTACH_LONG_FILENAME from an attAttachment property list, or undefined when it is
 * missing or the list cannot be walked.
 */
export function longFileName(props: Buffer): string | undefined {
  let at = 0;
  const need = (n: number) => {
    if (at + n > props.length) throw new TnefError('property list too short');
  };
  try {
    need(4);
    const count = props.readUInt32LE(at);
    at += 4;
    for (let index = 0; index < count && index < 10_000; index += 1) {
      need(4);
      const type = props.readUInt16LE(at);
      const id = props.readUInt16LE(at + 2);
      at += 4;
      if (id >= 0x8000) {
        need(20);
        const kind = props.readUInt32LE(at + 16);
        at += 20;
        if (kind === 0) {
          need(4);
          at += 4;
        } else {
          need(4);
          const length = props.readUInt32LE(at);
          at += 4 + pad4(length);
        }
      }
      const multi = (type & 0x1000) !== 0;
      const base = type & 0x0fff;
      const fixed = FIXED_SIZES[base];
      let values = 1;
      if (multi || VARIABLE_TYPES.has(base)) {
        need(4);
        values = props.readUInt32LE(at);
        at += 4;
      }
      if (fixed !== undefined) {
        need(fixed * values);
        at += fixed * values;
        continue;
      }
      if (!VARIABLE_TYPES.has(base)) return undefined;
      for (let value = 0; value < values; value += 1) {
        need(4);
        const length = props.readUInt32LE(at);
        at += 4;
        need(length);
        if (id === PR_ATTACH_LONG_FILENAME && value === 0) {
          const raw = props.subarray(at, at + length);
          const text = base === PT_UNICODE ? raw.toString('utf16le') : raw.toString('latin1');
          const name = text.replace(/\0+$/, '').trim();
          if (name) return name;
        }
        at += pad4(length);
      }
    }
  } catch (error) {
    if (error instanceof TnefError) return undefined;
    throw error;
  }
  return undefined;
}

interface OpenFile {
  name: string | undefined;
  longName: string | undefined;
  result: TnefFile | null;
}

export interface TnefContents {
  files: TnefFile[];
  /**
   * False when the container holds more than `files`: items that are not plain files (an
   * embedded message, an OLE object), or files past `maxFiles`. It is then worth keeping too.
   */
  complete: boolean;
}

/**
 * The files in the winmail.dat stored under `key`, each staged and committed in `blobs` (their
 * keys are also pushed to `committed` as they are made, so a caller can release them when the
 * container turns out unreadable further on). Throws TnefError when it cannot be read.
 */
export async function unpackTnef(
  blobs: BlobStore,
  key: string,
  limits: TnefLimits,
  committed: string[],
): Promise<TnefContents> {
  const source = await blobs.read(key);
  try {
    return await readContainer(new ByteReader(source), blobs, limits, committed);
  } finally {
    // Reading may stop early (damage, the file limit): the stored container is let go either way.
    source.destroy();
  }
}

async function readContainer(
  reader: ByteReader,
  blobs: BlobStore,
  limits: TnefLimits,
  committed: string[],
): Promise<TnefContents> {
  const header = await reader.take(6);
  if (header.readUInt32LE(0) !== SIGNATURE) throw new TnefError('winmail.dat has no TNEF signature');
  const files: OpenFile[] = [];
  let current: OpenFile | null = null;
  let complete = true;
  while (!(await reader.atEnd())) {
    const head = await reader.take(9);
    const level = head[0];
    const id = head.readUInt32LE(1);
    const length = head.readUInt32LE(5);
    if (level !== LEVEL_MESSAGE && level !== LEVEL_ATTACHMENT) {
      throw new TnefError(
        `winmail.dat has an attribute of unknown level ${level} at byte ${reader.offset - 9}`,
      );
    }
    if (level === LEVEL_ATTACHMENT && id === ATT_ATTACH_REND_DATA) {
      if (files.length >= limits.maxFiles) {
        complete = false;
        break;
      }
      current = { name: undefined, longName: undefined, result: null };
      files.push(current);
    }
    if (level === LEVEL_ATTACHMENT && id === ATT_ATTACH_DATA && current && !current.result) {
      current.result = await stageData(blobs, reader, length, limits.fileBytes, committed);
      continue;
    }
    const keep = level === LEVEL_ATTACHMENT && (id === ATT_ATTACH_TITLE || id === ATT_ATTACHMENT);
    if (keep && length <= SMALL_ATTRIBUTE_BYTES) {
      const data = await reader.take(length);
      const sum = (await reader.take(2)).readUInt16LE(0);
      if (sum !== checksum(data)) throw new TnefError('winmail.dat has an attribute with a wrong checksum');
      if (current && id === ATT_ATTACH_TITLE) current.name = ansiName(data);
      if (current && id === ATT_ATTACHMENT) current.longName = longFileName(data);
    } else {
      let sum = 0;
      for await (const piece of reader.pieces(length)) sum = checksum(piece, sum);
      if ((await reader.take(2)).readUInt16LE(0) !== sum) {
        throw new TnefError('winmail.dat has an attribute with a wrong checksum');
      }
    }
  }
  const opened = files.filter((file): file is OpenFile & { result: TnefFile } => file.result !== null);
  return {
    files: opened.map((file) => ({ ...file.result, name: file.longName ?? file.name })),
    complete: complete && opened.length === files.length,
  };
}

async function stageData(
  blobs: BlobStore,
  reader: ByteReader,
  length: number,
  fileBytes: number,
  committed: string[],
): Promise<TnefFile> {
  // The staging pulls the file's bytes as it writes them, so only what it holds is in memory.
  let sum = 0;
  let readFailure: unknown = null;
  const source = Readable.from(
    (async function* () {
      try {
        for await (const piece of reader.pieces(length)) {
          sum = checksum(piece, sum);
          yield piece;
        }
      } catch (error) {
        readFailure = error;
        throw error;
      }
    })(),
  );
  let staged: StagedBlob;
  try {
    staged = await blobs.stage(source, { maxBytes: fileBytes });
  } catch (error) {
    if (readFailure) throw readFailure;
    if (isAppError(error) && error.code === 'payload_too_large') {
      throw new TnefError('winmail.dat holds a file larger than the container may be');
    }
    throw error;
  }
  const expected = await reader.take(2).catch(async (error: unknown) => {
    await staged.discard();
    throw error;
  });
  if (expected.readUInt16LE(0) !== sum) {
    await staged.discard();
    throw new TnefError('winmail.dat has a file with a wrong checksum');
  }
  if (staged.size === 0) {
    await staged.discard();
    return { name: undefined, blobKey: null, size: 0 };
  }
  const blobKey = await staged.commit();
  committed.push(blobKey);
  return { name: undefined, blobKey, size: staged.size };
}
