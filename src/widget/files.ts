// The channel's limits, applied in the browser before a byte is sent (the server checks the
// same rules again): which types the chat takes and how large each may be.
import type { WidgetLimits } from '../shared/webchat-api.js';

export type Family = 'image' | 'video' | 'audio' | 'document';

export function familyOf(type: string): Family {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

const matches = (patterns: readonly string[], type: string): boolean =>
  patterns.some((pattern) =>
    pattern === '*/*'
      ? true
      : pattern.endsWith('/*')
        ? type.startsWith(pattern.slice(0, -1))
        : pattern === type,
  );

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
