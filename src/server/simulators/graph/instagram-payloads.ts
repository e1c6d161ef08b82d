// Builders for Instagram Messaging webhook payloads:
// `{object:"instagram", entry:[{id, time, messaging:[{sender, recipient, timestamp, message}]}]}`.
import { randomBytes } from 'node:crypto';

export type InstagramAttachmentType =
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'share'
  | 'story_mention'
  | 'ig_reel'
  | 'ig_post'
  | 'location'
  | 'fallback'
  | 'template'
  | 'unsupported_type';

export interface InstagramAttachment {
  type: InstagramAttachmentType;
  payload: Record<string, unknown>;
}

export interface InstagramMessage {
  mid: string;
  text?: string;
  attachments?: InstagramAttachment[];
  is_echo?: boolean;
  is_deleted?: boolean;
  is_unsupported?: boolean;
  reply_to?: { mid: string } | { story: { url: string; id: string } };
}

export interface InstagramMessagingEvent {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: InstagramMessage;
  read?: { mid: string };
}

export interface InstagramEnvelope {
  object: 'instagram';
  entry: Array<{ id: string; time: number; messaging: InstagramMessagingEvent[] }>;
}

/** A message id shaped like Instagram's (base64 of an `ig_item` key). */
export const newInstagramMid = (igAccountId: string): string =>
  Buffer.from(
    `ig_item:1:IGMessageID:${igAccountId}:${BigInt(`0x${randomBytes(16).toString('hex')}`)}`,
  ).toString('base64url');

export function buildInstagramEnvelope(
  igAccountId: string,
  messaging: InstagramMessagingEvent[],
  time = Date.now(),
): InstagramEnvelope {
  return { object: 'instagram', entry: [{ id: igAccountId, time, messaging }] };
}

export function igMessageEvent(input: {
  senderId: string;
  recipientId: string;
  message: InstagramMessage;
  at?: number;
}): InstagramMessagingEvent {
  return {
    sender: { id: input.senderId },
    recipient: { id: input.recipientId },
    timestamp: input.at ?? Date.now(),
    message: input.message,
  };
}

export function igReadEvent(input: {
  senderId: string;
  recipientId: string;
  mid: string;
  at?: number;
}): InstagramMessagingEvent {
  return {
    sender: { id: input.senderId },
    recipient: { id: input.recipientId },
    timestamp: input.at ?? Date.now(),
    read: { mid: input.mid },
  };
}
