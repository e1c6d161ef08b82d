// Turns "the customer sends X on Instagram" into a webhook envelope, hosting attachment bytes
// on the simulated CDN with the expiry and behaviour the caller asks for.
import type { InstagramCdn, InstagramCdnBehaviour } from './instagram-cdn.js';
import { buildInstagramEnvelope, igMessageEvent, newInstagramMid } from './instagram-payloads.js';
import type {
  InstagramAttachment,
  InstagramAttachmentType,
  InstagramEnvelope,
  InstagramMessage,
} from './instagram-payloads.js';

export interface InstagramInboundAttachmentSpec {
  type: InstagramAttachmentType;
  /** Bytes to host on the CDN; the payload then carries its URL. */
  bytes?: Uint8Array;
  contentType?: string;
  expiresInMs?: number;
  behaviour?: InstagramCdnBehaviour;
  hugeBytes?: number;
  /** A URL to use as is instead of hosting bytes. */
  url?: string;
  title?: string;
  extraPayload?: Record<string, unknown>;
}

export interface InstagramInboundInput {
  /** The customer's Instagram-scoped id. */
  senderId: string;
  text?: string;
  attachments?: InstagramInboundAttachmentSpec[];
  /** Reuse a mid to simulate a redelivery, or to refer to an earlier message (deletion). */
  mid?: string;
  isDeleted?: boolean;
  /** An echo of a message the business sent (sender and recipient swap). */
  isEcho?: boolean;
  isUnsupported?: boolean;
  replyToMid?: string;
}

export function buildInstagramInbound(
  input: InstagramInboundInput,
  deps: { igAccountId: string; cdn: InstagramCdn; clock: () => number },
): { envelope: InstagramEnvelope; mid: string; attachmentUrls: string[] } {
  const mid = input.mid ?? newInstagramMid(deps.igAccountId);
  const attachmentUrls: string[] = [];
  const attachments: InstagramAttachment[] = (input.attachments ?? []).map((spec, index) => {
    let url = spec.url;
    if (spec.bytes) {
      url = deps.cdn.add({
        bytes: spec.bytes,
        contentType: spec.contentType ?? 'application/octet-stream',
        ...(spec.expiresInMs === undefined ? {} : { expiresInMs: spec.expiresInMs }),
        ...(spec.behaviour === undefined ? {} : { behaviour: spec.behaviour }),
        ...(spec.hugeBytes === undefined ? {} : { hugeBytes: spec.hugeBytes }),
      }).url;
    }
    if (url) attachmentUrls.push(url);
    const payload: Record<string, unknown> = { ...(url ? { url } : {}), ...spec.extraPayload };
    if (spec.type === 'ig_reel')
      Object.assign(payload, { reel_video_id: `${17900000000000000 + index}`, title: spec.title ?? '' });
    if (spec.type === 'ig_post')
      Object.assign(payload, { ig_post_media_id: `${17800000000000000 + index}`, title: spec.title ?? '' });
    return { type: spec.type, payload };
  });
  const message: InstagramMessage = input.isDeleted
    ? { mid, is_deleted: true }
    : {
        mid,
        ...(input.text === undefined ? {} : { text: input.text }),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(input.isEcho ? { is_echo: true } : {}),
        ...(input.isUnsupported ? { is_unsupported: true } : {}),
        ...(input.replyToMid ? { reply_to: { mid: input.replyToMid } } : {}),
      };
  const [senderId, recipientId] = input.isEcho
    ? [deps.igAccountId, input.senderId]
    : [input.senderId, deps.igAccountId];
  const event = igMessageEvent({ senderId, recipientId, message, at: deps.clock() });
  return { envelope: buildInstagramEnvelope(deps.igAccountId, [event], deps.clock()), mid, attachmentUrls };
}
