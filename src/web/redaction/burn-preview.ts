// A small preview of a redacted image for the composer's chip, drawn in the browser from the
// original with the same boxes filled: the chip never shows the original again, and does not
// wait for the server's thumbnail of the copy.
import type { RedactionBox } from '../../shared/redaction-api.js';

const PREVIEW_EDGE = 160;

/** An object URL of the preview (the caller revokes it), or null when it cannot be drawn. */
export async function burnPreview(src: string, boxes: readonly RedactionBox[]): Promise<string | null> {
  try {
    const image = new Image();
    image.src = src;
    await image.decode();
    const scale = Math.min(1, PREVIEW_EDGE / Math.max(image.naturalWidth, image.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    context.fillStyle = '#000';
    for (const box of boxes) {
      const left = Math.floor(box.x * scale);
      const top = Math.floor(box.y * scale);
      context.fillRect(
        left,
        top,
        Math.ceil((box.x + box.width) * scale) - left,
        Math.ceil((box.y + box.height) * scale) - top,
      );
    }
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return blob ? URL.createObjectURL(blob) : null;
  } catch {
    return null;
  }
}
