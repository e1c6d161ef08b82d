// One Instagram messaging event → the helpdesk's events: a message (its media fetched at once
// by jobs, since the CDN links expire), a deletion, or a read receipt. What cannot be kept or
// shown as a file goes in `meta`: link cards for shares, reels and posts, the story a customer
// mentioned us in (shown from Instagram, never stored), and unsupported content.
import type { LinkCard, UnsupportedNote } from '../../../shared/message-meta.js';
import type { InboundAttachment, InboundEvent, InboundMessageEvent } from '../adapter.js';
import { receivedAt } from '../meta/meta-webhook.js';
import {
  igAttachmentSchema,
  igMessageSchema,
  type IgAttachment,
  type IgMessaging,
} from './instagram-payload.js';

const MEDIA_TYPES = ['image', 'video', 'audio', 'file'] as const;
type IgMediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (type: string): type is IgMediaType => (MEDIA_TYPES as readonly string[]).includes(type);
const CARD_TYPES: Record<string, LinkCard['kind']> = {
  share: 'share',
  ig_reel: 'ig_reel',
  ig_post: 'ig_post',
  fallback: 'link',
};
const DEFAULT_NAMES: Record<IgMediaType, string> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  file: 'file',
};
const NOUNS: Record<IgMediaType, string> = {
  image: 'photo',
  video: 'video',
  audio: 'voice message',
  file: 'file',
};

const isHttpUrl = (value: string | undefined): value is string => !!value && /^https?:\/\//i.test(value);

/** The type a CDN link names by its extension (story media is an image or a video). */
function typeFromUrl(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (/\.(jpe?g)$/i.test(path)) return 'image/jpeg';
  if (/\.png$/i.test(path)) return 'image/png';
  if (/\.webp$/i.test(path)) return 'image/webp';
  if (/\.mp4$/i.test(path)) return 'video/mp4';
  return undefined;
}

interface Collected {
  attachments: InboundAttachment[];
  cards: LinkCard[];
  unsupported: UnsupportedNote[];
  storyMention?: { url: string };
}

function collect(items: unknown[]): Collected {
  const out: Collected = { attachments: [], cards: [], unsupported: [] };
  for (const item of items) {
    const parsed = igAttachmentSchema.safeParse(item);
    if (!parsed.success) {
      out.unsupported.push({ kind: 'malformed', reason: 'Instagram sent an attachment without a type.' });
      continue;
    }
    const attachment: IgAttachment = parsed.data;
    const url = attachment.payload?.url;
    const type = attachment.type;
    if (isMediaType(type)) {
      out.attachments.push(
        isHttpUrl(url)
          ? { name: DEFAULT_NAMES[type], source: { url, type }, meta: { instagramType: type } }
          : {
              name: DEFAULT_NAMES[type],
              source: {},
              meta: { instagramType: type },
              unavailableReason: `Instagram sent this ${NOUNS[type]} without a link, so it cannot be downloaded.`,
            },
      );
    } else if (type === 'story_mention') {
      if (isHttpUrl(url)) {
        const declaredType = typeFromUrl(url);
        out.storyMention = { url };
        out.attachments.push({
          name: 'story',
          store: false,
          source: { url, type },
          ...(declaredType ? { declaredType } : {}),
          meta: { instagramType: type, remoteUrl: url },
        });
      } else {
        out.unsupported.push({
          kind: 'story_mention',
          reason: 'Mentioned us in a story, without a link to it.',
        });
      }
    } else if (CARD_TYPES[type]) {
      if (isHttpUrl(url)) {
        const title = attachment.payload?.title?.trim();
        out.cards.push({ kind: CARD_TYPES[type] as LinkCard['kind'], url, ...(title ? { title } : {}) });
      } else {
        out.unsupported.push({ kind: type, reason: `Shared ${type.replace('ig_', 'a ')} without a link.` });
      }
    } else {
      out.unsupported.push({
        kind: type,
        reason: `Sent ${type === 'location' ? 'a location' : `content of type "${type}"`}, which Instagram does not pass on to apps.`,
      });
    }
  }
  return out;
}

export function toInstagramEvents(messaging: IgMessaging, accountId: string, now: number): InboundEvent[] {
  if (messaging.read?.mid) return [{ type: 'status', providerMessageId: messaging.read.mid, status: 'read' }];
  const parsed = igMessageSchema.safeParse(messaging.message);
  if (!parsed.success) return [];
  const message = parsed.data;
  if (message.is_deleted) return [{ type: 'deleted', providerMessageId: message.mid }];
  const echo = message.is_echo === true || messaging.sender.id === accountId;
  const customer = echo ? messaging.recipient.id : messaging.sender.id;
  const collected = collect(message.attachments ?? []);
  const meta: Record<string, unknown> = {};
  const cards = [...collected.cards];
  if (message.reply_to?.story && isHttpUrl(message.reply_to.story.url)) {
    cards.push({ kind: 'story_reply', url: message.reply_to.story.url, title: 'Replied to a story' });
  }
  if (cards.length) meta.cards = cards;
  if (collected.storyMention) meta.storyMention = collected.storyMention;
  if (message.reply_to?.mid) meta.replyTo = { providerMessageId: message.reply_to.mid };
  const unsupported = message.is_unsupported
    ? {
        kind: 'unsupported',
        reason: 'Instagram could not pass this message on (a type it does not share with apps).',
      }
    : collected.unsupported[0];
  if (unsupported) meta.unsupported = unsupported;
  const event: InboundMessageEvent = {
    type: 'message',
    providerMessageId: message.mid,
    from: { externalId: customer },
    text: message.text ?? '',
    attachments: collected.attachments,
    receivedAt: receivedAt(messaging.timestamp, now),
    ...(Object.keys(meta).length ? { meta } : {}),
    ...(echo ? { echo: true } : {}),
  };
  return [event];
}
