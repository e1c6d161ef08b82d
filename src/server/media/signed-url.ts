// Public links to media for providers and visitors: an HMAC over the attachment, the variant,
// the expiry time and the attachment's link version. They stop working when they expire, when
// the media is deleted, or when an admin replaces its bytes (the version moves on).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asciiFilename, shortFilename } from './sanitize-filename.js';

export interface SignedMediaRef {
  attachmentId: string;
  variant: string;
  expiresAt: number;
  /** The attachment's link version (0 until its bytes are replaced). */
  version?: number;
}

/** The link version kept in an attachment's meta (`linkVersion`), 0 when absent. */
export function linkVersionOf(meta: Record<string, unknown>): number {
  const version = meta.linkVersion;
  return typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : 0;
}

const sign = (key: string, ref: SignedMediaRef): string =>
  createHmac('sha256', key)
    .update(`${ref.attachmentId}\n${ref.variant}\n${ref.expiresAt}${ref.version ? `\n${ref.version}` : ''}`)
    .digest('base64url');

export function signedMediaPath(key: string, ref: SignedMediaRef, name: string): string {
  // Short, so the whole path stays within the router's parameter length.
  const safeName = shortFilename(asciiFilename(name).replace(/[^\w.-]+/g, '-'), 64);
  return `/media/${ref.attachmentId}/${ref.variant}/${ref.expiresAt}/${sign(key, ref)}/${safeName}`;
}

export function verifySignedMedia(
  key: string,
  ref: SignedMediaRef,
  signature: string,
  now: number,
): 'ok' | 'expired' | 'invalid' | 'replaced' {
  const matches = (version: number): boolean => {
    const expected = Buffer.from(sign(key, { ...ref, version }));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };
  const current = ref.version ?? 0;
  if (!matches(current)) {
    // Signed for bytes an admin has since replaced (redacted): those bytes are gone.
    for (let version = current - 1; version >= 0; version -= 1) if (matches(version)) return 'replaced';
    return 'invalid';
  }
  return ref.expiresAt * 1000 < now ? 'expired' : 'ok';
}
