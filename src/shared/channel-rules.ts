// What each channel delivers, in one table: accepted types, byte limits, attachments per
// message and where the caption goes. The composer shows its decisions before sending and
// the server applies the same decisions when it prepares an outbound message.
import type { ChannelKind } from './api-schemas.js';

const KB = 1024;
const MB = 1024 * 1024;

export type CaptionMode = 'with-media' | 'first-media' | 'separate-message';

export interface TypeRule {
  /** MIME types delivered as they are. */
  accept: readonly string[];
  maxBytes: number;
  /** Types converted to `convertTo` before sending (e.g. HEIC → JPEG). */
  convert?: readonly string[];
  convertTo?: string;
  /** For images: re-encode to fit this many bytes instead of refusing. */
  fitBytes?: number;
  /** For images that are fitted: the long edge they are brought down to first. */
  fitMaxEdge?: number;
}

export interface ChannelRules {
  kind: ChannelKind;
  /** Attachments one provider message may carry; more are split over several messages. */
  perMessage: number;
  /** Bytes of media one provider message may carry in total. */
  perMessageBytes: number;
  caption: CaptionMode;
  captionMaxChars: number | null;
  image: TypeRule;
  video: TypeRule;
  audio: TypeRule;
  document: TypeRule;
  /** What happens to a file no rule accepts, or one still too large after any transform. */
  otherwise: 'link' | 'reject';
  /**
   * Files beyond what one message carries: `split` over several messages (the default), or
   * `link`: one message attaches what fits its budget and the rest go as secure links (e-mail).
   */
  overflow?: 'split' | 'link';
  /** Longest text one provider message carries; longer text is split over several messages. */
  textLimit?: { max: number; unit: 'chars' | 'utf8-bytes' };
  /** Hours after the customer's last message during which free-form replies are allowed. */
  replyWindowHours?: number;
  /** Instagram: days after the customer's last message a reply tagged HUMAN_AGENT may still go. */
  humanAgentWindowDays?: number;
}

const imageInputs = [
  'image/heic',
  'image/heif',
  'image/webp',
  'image/avif',
  'image/tiff',
  'image/bmp',
] as const;

/** Recordings browsers and phones make that WhatsApp does not take as they are (sent as OGG/Opus). */
const audioInputs = [
  'audio/webm',
  'audio/wav',
  'audio/x-wav',
  'audio/flac',
  'audio/x-flac',
  'audio/3gpp',
  'audio/x-caf',
] as const;

export const defaultChannelRules: Record<ChannelKind, ChannelRules> = {
  sms: {
    kind: 'sms',
    perMessage: 10,
    perMessageBytes: 5 * MB,
    caption: 'with-media',
    captionMaxChars: 1600,
    image: {
      accept: ['image/jpeg', 'image/png', 'image/gif'],
      maxBytes: 600 * KB,
      convert: imageInputs,
      convertTo: 'image/jpeg',
      fitBytes: 600 * KB,
      fitMaxEdge: 2048,
    },
    video: { accept: ['video/mp4', 'video/3gpp'], maxBytes: 600 * KB },
    audio: { accept: ['audio/mpeg', 'audio/mp4', 'audio/amr', 'audio/ogg'], maxBytes: 600 * KB },
    document: { accept: ['application/pdf', 'text/vcard', 'text/calendar'], maxBytes: 600 * KB },
    otherwise: 'link',
  },
  whatsapp: {
    kind: 'whatsapp',
    perMessage: 1,
    perMessageBytes: 100 * MB,
    caption: 'first-media',
    captionMaxChars: 1024,
    image: {
      accept: ['image/jpeg', 'image/png'],
      maxBytes: 5 * MB,
      convert: [...imageInputs, 'image/gif'],
      convertTo: 'image/jpeg',
      fitBytes: 5 * MB,
      fitMaxEdge: 4096,
    },
    video: { accept: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
    audio: {
      accept: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg; codecs=opus'],
      maxBytes: 16 * MB,
      convert: [...audioInputs, 'audio/ogg'],
      convertTo: 'audio/ogg; codecs=opus',
    },
    document: {
      accept: [
        'application/pdf',
        'text/plain',
        'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.ms-excel',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.ms-powerpoint',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      ],
      maxBytes: 100 * MB,
    },
    otherwise: 'link',
    textLimit: { max: 4096, unit: 'chars' },
    replyWindowHours: 24,
  },
  instagram: {
    kind: 'instagram',
    perMessage: 1,
    perMessageBytes: 25 * MB,
    caption: 'separate-message',
    captionMaxChars: 1000,
    image: {
      accept: ['image/jpeg', 'image/png', 'image/gif'],
      maxBytes: 8 * MB,
      convert: imageInputs,
      convertTo: 'image/jpeg',
      fitBytes: 8 * MB,
      fitMaxEdge: 4096,
    },
    video: {
      accept: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/quicktime', 'video/webm'],
      maxBytes: 25 * MB,
    },
    audio: {
      accept: ['audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/wav', 'audio/x-wav'],
      maxBytes: 25 * MB,
    },
    document: { accept: ['application/pdf'], maxBytes: 25 * MB },
    otherwise: 'link',
    textLimit: { max: 1000, unit: 'utf8-bytes' },
    replyWindowHours: 24,
    humanAgentWindowDays: 7,
  },
  email: {
    kind: 'email',
    perMessage: 100,
    perMessageBytes: 18 * MB,
    caption: 'with-media',
    captionMaxChars: null,
    image: {
      accept: ['image/*'],
      maxBytes: 18 * MB,
      convert: ['image/heic', 'image/heif'],
      convertTo: 'image/jpeg',
    },
    video: { accept: ['video/*'], maxBytes: 18 * MB },
    audio: { accept: ['audio/*'], maxBytes: 18 * MB },
    document: { accept: ['*/*'], maxBytes: 18 * MB },
    otherwise: 'link',
    overflow: 'link',
  },
  webchat: {
    kind: 'webchat',
    perMessage: 10,
    perMessageBytes: 100 * MB,
    caption: 'with-media',
    captionMaxChars: null,
    image: {
      accept: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif'],
      maxBytes: 25 * MB,
      convert: ['image/heic', 'image/heif', 'image/tiff', 'image/bmp'],
      convertTo: 'image/jpeg',
    },
    video: { accept: ['video/mp4', 'video/webm', 'video/quicktime'], maxBytes: 100 * MB },
    audio: { accept: ['audio/*'], maxBytes: 25 * MB },
    document: { accept: ['*/*'], maxBytes: 25 * MB },
    otherwise: 'reject',
  },
};

export type MediaFamily = 'image' | 'video' | 'audio' | 'document';

export function familyOf(contentType: string): MediaFamily {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'document';
}

const essenceOf = (type: string): string => (type.split(';')[0] ?? '').trim().toLowerCase();
const normalized = (type: string): string =>
  type
    .toLowerCase()
    .replace(/\s*;\s*/g, '; ')
    .trim();

/**
 * A pattern without parameters matches the type whatever its parameters ('audio/ogg' matches
 * 'audio/ogg; codecs=opus'); a pattern with parameters only matches them exactly.
 */
export const typeMatches = (patterns: readonly string[], type: string): boolean =>
  patterns.some((pattern) =>
    pattern === '*/*'
      ? true
      : pattern.endsWith('/*')
        ? type.startsWith(pattern.slice(0, -1))
        : pattern.includes(';')
          ? normalized(pattern) === normalized(type)
          : pattern === essenceOf(type),
  );

export type AttachmentDecision =
  | { action: 'send' }
  | { action: 'convert'; to: string }
  | { action: 'fit'; to: string; maxBytes: number }
  | { action: 'link'; reason: 'too_large' | 'type_not_supported' | 'destination' }
  | { action: 'reject'; reason: 'too_large' | 'type_not_supported' };

export interface PlannedFile {
  contentType: string;
  size: number;
}

export interface PlanContext {
  /** False when the destination cannot receive media at all (e.g. MMS outside the US/Canada). */
  mediaAllowed?: boolean;
}

/** Decides what happens to one file on a channel. */
export function decideAttachment(
  rules: ChannelRules,
  file: PlannedFile,
  context: PlanContext = {},
): AttachmentDecision {
  if (context.mediaAllowed === false) return { action: 'link', reason: 'destination' };
  const rule = rules[familyOf(file.contentType)];
  const fallback = (reason: 'too_large' | 'type_not_supported'): AttachmentDecision =>
    rules.otherwise === 'link' ? { action: 'link', reason } : { action: 'reject', reason };
  const accepted = typeMatches(rule.accept, file.contentType);
  const convertible = rule.convert && rule.convertTo && typeMatches(rule.convert, file.contentType);
  if (!accepted && !convertible) return fallback('type_not_supported');
  const target = accepted ? file.contentType : (rule.convertTo as string);
  if (familyOf(file.contentType) === 'image' && rule.fitBytes && (file.size > rule.fitBytes || !accepted)) {
    return {
      action: 'fit',
      to: target === 'image/png' || target === 'image/gif' ? 'image/jpeg' : target,
      maxBytes: rule.fitBytes,
    };
  }
  if (file.size > rule.maxBytes) return fallback('too_large');
  return accepted ? { action: 'send' } : { action: 'convert', to: target };
}

/** Groups files into provider messages, keeping their order. */
export function splitIntoMessages<T extends PlannedFile>(rules: ChannelRules, files: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = Math.min(file.size, rules.perMessageBytes);
    if (current.length > 0 && (current.length >= rules.perMessage || bytes + size > rules.perMessageBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export interface BudgetPlan<T> {
  /** Files sent in the message, in order. */
  attached: T[];
  /** Files that do not fit the budget: sent as secure expiring links in the text. */
  linked: T[];
}

/**
 * For channels that put every file in one message (e-mail): files are attached in order while
 * their total stays within `budgetBytes` (default: the rules' per-message bytes); the rest go
 * as links. The composer shows the same plan before sending.
 */
export function planMessageBudget<T extends PlannedFile>(
  rules: ChannelRules,
  files: readonly T[],
  budgetBytes = rules.perMessageBytes,
): BudgetPlan<T> {
  const attached: T[] = [];
  const linked: T[] = [];
  let used = 0;
  for (const file of files) {
    if (attached.length < rules.perMessage && used + file.size <= budgetBytes) {
      attached.push(file);
      used += file.size;
    } else linked.push(file);
  }
  return { attached, linked };
}
