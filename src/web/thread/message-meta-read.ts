// Reads `message.meta` (typed in src/shared/message-meta.ts, e-mail in docs/EMAIL.md) into
// the few shapes the thread draws. The server's JSON is checked field by field: what does
// not match is left out, so an old or odd message still renders.
import type { Attachment, Message } from '../../shared/api-schemas.js';
import type { LinkCard, ProviderErrorNote, UnsupportedNote } from '../../shared/message-meta.js';

export interface EmailView {
  html: string | null;
  quotedHtml: string | null;
  quotedText: string | null;
  remoteImagesBlocked: number;
  /** Attachment positions the HTML shows inline. */
  inline: number[];
  notes: string[];
}

export interface MetaView {
  cards: LinkCard[];
  unsupported: UnsupportedNote | null;
  providerErrors: ProviderErrorNote[];
  voiceNote: boolean;
  sticker: { animated: boolean } | null;
  storyMention: { url: string } | null;
  email: EmailView | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value);

const CARD_KINDS: ReadonlyArray<LinkCard['kind']> = [
  'share',
  'ig_reel',
  'ig_post',
  'link',
  'story_reply',
  'location',
];

function readCard(value: unknown): LinkCard | null {
  if (!isObject(value) || !isHttpUrl(value.url)) return null;
  const kind = CARD_KINDS.find((candidate) => candidate === value.kind) ?? 'link';
  const card: LinkCard = { kind, url: value.url };
  const title = text(value.title)?.trim();
  if (title) card.title = title;
  if (typeof value.latitude === 'number' && Number.isFinite(value.latitude)) card.latitude = value.latitude;
  if (typeof value.longitude === 'number' && Number.isFinite(value.longitude))
    card.longitude = value.longitude;
  return card;
}

function readError(value: unknown): ProviderErrorNote | null {
  if (!isObject(value)) return null;
  const code = typeof value.code === 'number' ? String(value.code) : text(value.code);
  const title = text(value.title);
  if (!code && !title) return null;
  const note: ProviderErrorNote = { code: code ?? '', title: title ?? '' };
  const details = text(value.details);
  if (details && details !== title) note.details = details;
  return note;
}

function readEmail(value: unknown): EmailView | null {
  if (!isObject(value)) return null;
  const count = value.remoteImagesBlocked;
  return {
    html: text(value.html),
    quotedHtml: text(value.quotedHtml),
    quotedText: text(value.quotedText)?.trim() || null,
    remoteImagesBlocked: typeof count === 'number' && count > 0 ? Math.floor(count) : 0,
    inline: list(value.inline).filter((n): n is number => Number.isInteger(n) && (n as number) >= 0),
    notes: list(value.notes)
      .map(text)
      .filter((note): note is string => note !== null),
  };
}

export function readMeta(meta: Json): MetaView {
  const unsupported = isObject(meta.unsupported) ? meta.unsupported : null;
  const story = isObject(meta.storyMention) ? meta.storyMention : null;
  const sticker = isObject(meta.sticker) ? meta.sticker : meta.sticker === true ? {} : null;
  return {
    cards: list(meta.cards)
      .map(readCard)
      .filter((card): card is LinkCard => card !== null),
    unsupported: unsupported
      ? { kind: text(unsupported.kind) ?? 'unknown', reason: text(unsupported.reason) ?? '' }
      : null,
    providerErrors: list(meta.providerErrors)
      .map(readError)
      .filter((note): note is ProviderErrorNote => note !== null),
    voiceNote: meta.voiceNote === true,
    sticker: sticker ? { animated: sticker.animated === true } : null,
    storyMention: story && isHttpUrl(story.url) ? { url: story.url } : null,
    email: readEmail(meta.email),
  };
}

/** The story's own attachment (shown from the provider's link, never stored). */
export function storyAttachment(message: Pick<Message, 'attachments'>, view: MetaView): Attachment | null {
  const url = view.storyMention?.url;
  return url ? (message.attachments.find((attachment) => attachment.url === url) ?? null) : null;
}

/**
 * Attachments to list under the message: all but those the e-mail body shows inline and the
 * story the message draws itself.
 */
export function attachmentsBelow(message: Pick<Message, 'attachments' | 'meta'>): Attachment[] {
  const view = readMeta(message.meta);
  const story = storyAttachment(message, view);
  const inline = view.email?.html ? new Set(view.email.inline) : new Set<number>();
  return message.attachments.filter(
    (attachment, position) => attachment !== story && !(inline.has(position) && attachment.url),
  );
}
