// Content sniffing the way a provider checks the bytes behind a declared Content-Type.
import { fileTypeFromBuffer } from 'file-type';

/** The MIME type without parameters, lower-cased; '' when absent. */
export function essence(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Names that describe the same bytes (the first entry is the canonical one). */
const ALIASES: ReadonlyArray<readonly string[]> = [
  ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  ['audio/mp4', 'audio/x-m4a', 'audio/m4a', 'video/mp4'],
  ['audio/mpeg', 'audio/mp3'],
  ['audio/aac', 'audio/x-aac', 'audio/aacp'],
  ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  ['audio/ogg', 'audio/opus', 'application/ogg', 'video/ogg'],
  ['video/quicktime', 'video/mov'],
  ['video/x-msvideo', 'video/vnd.avi', 'video/avi', 'video/msvideo'],
  ['application/x-cfb', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'],
  ['audio/amr', 'audio/amr-nb'],
  ['video/3gpp', 'audio/3gpp', 'video/mp4'],
];

export function sameMediaType(a: string, b: string): boolean {
  const x = essence(a);
  const y = essence(b);
  if (x === y) return true;
  return ALIASES.some((group) => group.includes(x) && group.includes(y));
}

/** Types whose bytes carry a signature: declaring one of these for unrecognised bytes is a lie. */
export function isBinaryFamily(mime: string): boolean {
  const type = essence(mime);
  if (type === 'image/svg+xml') return false;
  return /^(image|audio|video)\//.test(type) || type === 'application/pdf';
}

export async function sniffMediaType(bytes: Uint8Array): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  return found?.mime;
}

/**
 * Whether the bytes plausibly are what `declared` says. Text-like types cannot be sniffed and
 * pass; a binary type must match what the bytes' signature says.
 */
export async function bytesMatchDeclaredType(
  bytes: Uint8Array,
  declared: string,
): Promise<{ ok: boolean; sniffed: string | undefined }> {
  const sniffed = await sniffMediaType(bytes);
  if (sniffed) return { ok: sameMediaType(sniffed, declared), sniffed };
  return { ok: !isBinaryFamily(declared), sniffed };
}
