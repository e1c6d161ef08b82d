// Lossless removal of metadata from a JPEG: the compressed image data is copied byte for byte,
// and every segment that can carry personal data (EXIF and its GPS block, XMP, IPTC/Photoshop,
// comments, maker segments) is dropped, as is anything after the image's end (the extra
// pictures of a Multi-Picture file, depth maps, gain maps).
import { AppError } from '../../errors.js';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

const startsWith = (buffer: Buffer, offset: number, text: string): boolean =>
  buffer.toString('latin1', offset, offset + text.length) === text;

/** Segments kept: JFIF (APP0), the ICC profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14). */
function keepSegment(marker: number, jpeg: Buffer, body: number): boolean {
  if (marker === COM) return false;
  if (marker < APP0 || marker > APP15) return true; // tables, frame headers, restart interval…
  if (marker === APP0) return startsWith(jpeg, body, 'JFIF\0');
  if (marker === APP2) return startsWith(jpeg, body, 'ICC_PROFILE\0');
  if (marker === APP14) return startsWith(jpeg, body, 'Adobe');
  return false;
}

const corrupt = (why: string): AppError => new AppError('file_corrupt', `The JPEG is damaged: ${why}.`);

/** Returns the JPEG without its metadata segments. Throws file_corrupt on a malformed file. */
export function stripJpegMetadata(jpeg: Buffer): Buffer {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) throw corrupt('it does not start with SOI');
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  for (;;) {
    if (at >= jpeg.length) throw corrupt('it ends before its end-of-image marker');
    if (jpeg[at] !== 0xff) throw corrupt(`a marker was expected at byte ${at}`);
    while (jpeg[at + 1] === 0xff) at += 1; // fill bytes
    const marker = jpeg[at + 1] ?? -1;
    if (marker === EOI) {
      parts.push(jpeg.subarray(at, at + 2));
      return Buffer.concat(parts);
    }
    if (marker >= 0xd0 && marker <= 0xd7) {
      parts.push(jpeg.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > jpeg.length) throw corrupt('a segment is cut short');
    const length = jpeg.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > jpeg.length) throw corrupt('a segment runs past the end of the file');
    if (marker === SOS) {
      // Entropy-coded data follows until the next marker that is neither a stuffed 0xFF00
      // nor a restart marker.
      let scan = end;
      while (scan + 1 < jpeg.length) {
        if (jpeg[scan] === 0xff) {
          const next = jpeg[scan + 1] ?? 0;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        scan += 1;
      }
      parts.push(jpeg.subarray(at, scan));
      at = scan;
      continue;
    }
    if (keepSegment(marker, jpeg, at + 4)) parts.push(jpeg.subarray(at, end));
    at = end;
  }
}
