// Screenshot redaction: propose boxes over personal data (offline OCR + rules) and burn
// chosen boxes into the pixels.
export { burnRedaction, type BurnOptions, type BurnResult } from './burn-redaction.js';
export { detectPersonalData, kindPriority, type DetectOptions } from './detectors/index.js';
export { looksLikeScreenshot, type ImageMetaLike } from './is-screenshot.js';
export {
  createOcrPool,
  defaultPoolSize,
  type OcrPool,
  type OcrPoolOptions,
  type OcrResult,
} from './ocr-pool.js';
export {
  memoryScanCache,
  scanCacheKey,
  scanImageForPersonalData,
  type ScanCache,
  type ScanOptions,
  type ScanResult,
} from './scan-image.js';
export { findingKinds, type Box, type Finding, type FindingKind, type OcrWord } from './types.js';
