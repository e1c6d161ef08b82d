// Sizes media boxes from the dimensions the server knows before anything loads, so the
// thread never jumps when a thumbnail arrives.
import type { Attachment } from '../../shared/api-schemas.js';

export interface Box {
  width: number;
  height: number;
}

export const MEDIA_MAX: Box = { width: 320, height: 260 };
/** Several pictures in one message sit side by side in a row of equal height. */
export const MEDIA_MAX_GRID: Box = { width: 260, height: 160 };

export const boxLimitFor = (visualCount: number): Box => (visualCount > 1 ? MEDIA_MAX_GRID : MEDIA_MAX);
const MIN_SIDE = 72;
const UNKNOWN: Box = { width: 240, height: 180 };

export function mediaBox(attachment: Pick<Attachment, 'width' | 'height'>, max: Box = MEDIA_MAX): Box {
  const { width, height } = attachment;
  if (max === MEDIA_MAX_GRID) {
    const ratio = width && height ? width / height : 4 / 3;
    return { width: Math.min(max.width, Math.max(96, Math.round(max.height * ratio))), height: max.height };
  }
  if (!width || !height) return UNKNOWN;
  const scale = Math.min(1, max.width / width, max.height / height);
  return {
    width: Math.max(MIN_SIDE, Math.round(width * scale)),
    height: Math.max(MIN_SIDE, Math.round(height * scale)),
  };
}

/** Media shown as a picture in the thread (and so in the viewer). */
export const isVisual = (attachment: Attachment): boolean =>
  attachment.kind === 'image' || attachment.kind === 'video';

/** Height an attachment takes in the thread, for the list's first estimate. */
export function estimateAttachmentHeight(attachment: Attachment, max: Box = MEDIA_MAX): number {
  if (attachment.kind === 'image' || attachment.kind === 'video') {
    if (attachment.state === 'ready' || attachment.state === 'processing')
      return mediaBox(attachment, max).height + 6;
    return 64;
  }
  if (attachment.kind === 'audio') return 96;
  return 64;
}
