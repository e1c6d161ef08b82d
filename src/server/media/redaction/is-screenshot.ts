// Whether an image is likely a screenshot (worth scanning for personal data) rather than a
// camera photo: PNGs are, and so is anything without camera EXIF (Make/Model).
import exifReader from 'exif-reader';

export interface ImageMetaLike {
  format?: string;
  /** Raw EXIF block as sharp's metadata() returns it. */
  exif?: Buffer;
}

function hasCameraExif(exif: Buffer | undefined): boolean {
  if (!exif || exif.length === 0) return false;
  try {
    const tags = exifReader(exif);
    return Boolean(tags.Image?.Make || tags.Image?.Model);
  } catch {
    // EXIF that cannot be parsed says nothing about a camera.
    return false;
  }
}

export function looksLikeScreenshot(meta: ImageMetaLike): boolean {
  if (meta.format === 'png') return true;
  return !hasCameraExif(meta.exif);
}
