// File names are shown to people and put in headers, so they are cleaned: no directories, no
// control or bidirectional-override characters, a sane length, and an extension that says
// what the bytes are. Storage keys never derive from names.

// C0/C1 controls, and the Unicode format characters that reorder or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
const MAX_LENGTH = 180;

export function sanitizeFilename(raw: string | undefined | null, fallbackExtension?: string): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(UNSAFE, '')
    .replace(/["<>|:*?]/g, '_')
    .replace(/\s+/g, ' ');
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (!name) name = 'file';
  const dot = name.lastIndexOf('.');
  let stem = dot > 0 ? name.slice(0, dot) : name;
  let extension = dot > 0 ? name.slice(dot + 1) : '';
  if (extension.length > 12) {
    stem = name;
    extension = '';
  }
  if (!extension && fallbackExtension) extension = fallbackExtension;
  const suffix = extension ? `.${extension}` : '';
  if (stem.length + suffix.length > MAX_LENGTH) stem = stem.slice(0, MAX_LENGTH - suffix.length).trimEnd();
  return `${stem}${suffix}`;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Replaces the extension (used when the bytes say the name lies about the format). */
export function withExtension(name: string, extension: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
}

/** A short ASCII name for Content-Disposition's plain `filename` parameter. */
export function asciiFilename(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\;]/g, '_')
    .trim();
  return ascii || `file.${extensionOf(name) || 'bin'}`;
}

export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${asciiFilename(name)}"; filename*=UTF-8''${encoded}`;
}

/** A name of at most `max` characters, extension kept, for links handed to providers and phones. */
export function shortFilename(name: string, max = 48): string {
  if (name.length <= max) return name;
  const extension = extensionOf(name);
  const suffix = extension && extension.length < max / 2 ? `.${extension}` : '';
  const stem = suffix ? name.slice(0, name.length - suffix.length) : name;
  return `${stem.slice(0, max - suffix.length).trimEnd()}${suffix}`;
}
