// The bytes decide what a file is. The name and any declared Content-Type are recorded, and
// used only where the bytes say nothing (plain text, CSV, and the like).
import { fileTypeFromBuffer } from 'file-type';
import { extensionOf } from './sanitize-filename.js';

export interface Sniffed {
  mime: string;
  /** The extension that goes with `mime`, when one is well known. */
  extension: string | null;
  /** True when the bytes themselves named the type. */
  fromBytes: boolean;
}

const EXECUTABLE_TYPES = new Set([
  'application/x-msdownload',
  'application/vnd.microsoft.portable-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-executable',
  'application/x-sharedlib',
  'application/x-msi',
  'application/x-ms-installer',
  'application/vnd.android.package-archive',
  'application/x-apple-diskimage',
]);

const DANGEROUS_EXTENSIONS = new Set([
  'exe',
  'com',
  'scr',
  'bat',
  'cmd',
  'msi',
  'msp',
  'pif',
  'cpl',
  'dll',
  'sys',
  'vbs',
  'vbe',
  'jse',
  'wsf',
  'wsh',
  'ps1',
  'psm1',
  'hta',
  'lnk',
  'reg',
  'jar',
  'apk',
  'app',
  'dmg',
  'elf',
  'run',
  'so',
]);

/** Extensions whose format is binary and announces itself, with the type family it must sniff as. */
const MEDIA_EXTENSIONS: Record<string, string> = {
  jpg: 'image/',
  jpeg: 'image/',
  jfif: 'image/',
  png: 'image/',
  gif: 'image/',
  webp: 'image/',
  heic: 'image/',
  heif: 'image/',
  avif: 'image/',
  bmp: 'image/',
  tif: 'image/',
  tiff: 'image/',
  mp4: 'video/',
  m4v: 'video/',
  mov: 'video/',
  webm: 'video/',
  avi: 'video/',
  '3gp': 'video/',
  mkv: 'video/',
  mp3: 'audio/',
  m4a: 'audio/',
  ogg: 'audio/',
  oga: 'audio/',
  opus: 'audio/',
  wav: 'audio/',
  amr: 'audio/',
  aac: 'audio/',
  pdf: 'application/pdf',
};

/** Types file-type reports that may legitimately carry a name from another family. */
const FAMILY_ALIASES: Record<string, string[]> = {
  'video/': ['audio/', 'video/'],
  'audio/': ['audio/', 'video/'],
};

const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  vcf: 'text/vcard',
  ics: 'text/calendar',
  log: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  eml: 'message/rfc822',
};

export async function sniff(head: Buffer, name: string, declaredType?: string | null): Promise<Sniffed> {
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  if (detected) return { mime: detected.mime, extension: detected.ext, fromBytes: true };
  const extension = extensionOf(name);
  if (looksLikeText(head)) {
    const svg = /<svg[\s>]/i.test(head.subarray(0, 4096).toString('utf8'));
    if (svg) return { mime: 'image/svg+xml', extension: 'svg', fromBytes: true };
    const byName = TEXT_TYPES[extension];
    const declared =
      declaredType && /^text\/[a-z0-9.+-]+$/i.test(declaredType) ? declaredType.toLowerCase() : null;
    return { mime: byName ?? declared ?? 'text/plain', extension: extension || 'txt', fromBytes: false };
  }
  return { mime: 'application/octet-stream', extension: null, fromBytes: false };
}

export function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  const sample = head.subarray(0, 8192);
  if (sample.includes(0)) return false;
  const text = sample.toString('utf8');
  const replacement = (text.match(/\ufffd/g) ?? []).length;
  return replacement <= 2;
}

export function isExecutable(sniffed: Sniffed, name: string): boolean {
  return EXECUTABLE_TYPES.has(sniffed.mime) || DANGEROUS_EXTENSIONS.has(extensionOf(name));
}

/**
 * A name whose extension promises a media family the bytes do not belong to (an executable
 * or a text file named `.jpg`). A JPEG named `.png` is the same family: the bytes win quietly.
 */
export function contradictsName(sniffed: Sniffed, name: string): string | null {
  const expected = MEDIA_EXTENSIONS[extensionOf(name)];
  if (!expected) return null;
  const allowed = FAMILY_ALIASES[expected] ?? [expected];
  return allowed.some((prefix) => sniffed.mime.startsWith(prefix)) ? null : expected;
}

/** Types a browser may render inline from our origin without risk. */
export function isSafeInline(mime: string): boolean {
  if (['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/xml', 'text/xml'].includes(mime)) {
    return false;
  }
  return /^(image\/(jpeg|png|gif|webp|avif|bmp)|audio\/|video\/|application\/pdf$)/.test(mime);
}
