// The channel's limits, applied in the browser before a byte is sent (the server checks the
// same rules again): which types the chat takes and how large each may be.
import { familyOf, typeMatches as matches } from '../shared/channel-rules.js';
import type { WidgetLimits } from '../shared/webchat-api.js';
import { formatBytes, type Catalog } from './i18n/index.js';
import type { PendingFile } from './thread.js';

/**
 * Images a browser draws, shown from the visitor's own file while it uploads. Others (an
 * iPhone's HEIC, a TIFF) would show as a broken picture: they get a file badge until the
 * server's thumbnail is ready.
 */
const BROWSER_IMAGES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);

export type FileVerdict =
  { ok: true } | { ok: false; reason: 'too_large'; maxBytes: number } | { ok: false; reason: 'type' };

export function checkFile(limits: WidgetLimits, file: { type: string; size: number }): FileVerdict {
  const type = file.type || 'application/octet-stream';
  const rule = limits[familyOf(type)];
  // An unknown or generic type is left to the server, which reads the bytes.
  const known = file.type !== '' && file.type !== 'application/octet-stream';
  if (known && !matches(rule.accept, type) && !matches(rule.convert ?? [], type))
    return { ok: false, reason: 'type' };
  const maxBytes = known ? rule.maxBytes : limits.maxFileBytes;
  if (file.size > maxBytes) return { ok: false, reason: 'too_large', maxBytes };
  return { ok: true };
}

let fileCounter = 0;

/**
 * Turns chosen files into pending uploads: those over the channel's limits or past the number a
 * message may carry are left out, each with a sentence saying why.
 */
export function acceptFiles(
  files: File[],
  limits: WidgetLimits,
  alreadyAttached: number,
  t: Catalog,
  language: string,
): { accepted: PendingFile[]; notices: string[] } {
  const room = Math.max(0, limits.perMessage - alreadyAttached);
  const notices: string[] = files.length > room ? [t.tooMany(limits.perMessage)] : [];
  const accepted: PendingFile[] = [];
  for (const file of files.slice(0, room)) {
    const verdict = checkFile(limits, file);
    if (!verdict.ok) {
      notices.push(
        verdict.reason === 'too_large'
          ? t.tooLarge(file.name, formatBytes(verdict.maxBytes, language))
          : t.notAccepted(file.name),
      );
      continue;
    }
    fileCounter += 1;
    accepted.push({
      key: `f${fileCounter}`,
      file,
      name: file.name || 'image.png',
      size: file.size,
      type: file.type,
      previewUrl: BROWSER_IMAGES.has(file.type) ? URL.createObjectURL(file) : null,
      progress: 0,
      state: 'uploading',
      error: null,
      attachment: null,
    });
  }
  return { accepted, notices };
}
