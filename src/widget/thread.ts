// The conversation as the widget holds it: messages from the server (kept in order, replaced
// by id when they change) and the visitor's messages still on their way (matched to the
// server's copy by the widget's own id, so nothing shows twice).
import { deliveryRank } from '../shared/delivery-status.js';
import type { VisitorAttachment, VisitorMessage } from '../shared/webchat-api.js';

export interface PendingFile {
  key: string;
  file: File;
  name: string;
  size: number;
  type: string;
  /** A local preview of an image, shown until the server's thumbnail exists. */
  previewUrl: string | null;
  progress: number;
  state: 'uploading' | 'done' | 'error';
  error: string | null;
  attachment: VisitorAttachment | null;
}

export interface LocalMessage {
  clientId: string;
  text: string;
  files: PendingFile[];
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: number;
}

export interface ThreadState {
  messages: VisitorMessage[];
  locals: LocalMessage[];
  /** Local previews by attachment id, for the visitor's own images still being processed. */
  previews: Record<string, string>;
}

export const emptyThread = (): ThreadState => ({ messages: [], locals: [], previews: {} });

const byTime = (a: VisitorMessage, b: VisitorMessage): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Adds or replaces server messages; a local message with the same client id gives way. */
export function upsertMessages(state: ThreadState, incoming: VisitorMessage[]): ThreadState {
  if (incoming.length === 0) return state;
  const byId = new Map(state.messages.map((message) => [message.id, message]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    // An older copy (replayed after a newer one) never replaces what is already shown.
    if (!known || rank(message) >= rank(known)) byId.set(message.id, message);
  }
  const clientIds = new Set(incoming.map((message) => message.clientId).filter((id) => id !== null));
  return {
    ...state,
    messages: [...byId.values()].sort(byTime),
    locals: state.locals.filter((local) => !clientIds.has(local.clientId)),
  };
}

const readyCount = (message: VisitorMessage): number =>
  message.attachments.filter((attachment) => attachment.state !== 'processing').length;

const rank = (message: VisitorMessage): number => deliveryRank[message.status] * 100 + readyCount(message);

export function updateAttachment(state: ThreadState, attachment: VisitorAttachment): ThreadState {
  let changed = false;
  const messages = state.messages.map((message) => {
    if (!message.attachments.some((candidate) => candidate.id === attachment.id)) return message;
    changed = true;
    return {
      ...message,
      attachments: message.attachments.map((candidate) =>
        candidate.id === attachment.id ? attachment : candidate,
      ),
    };
  });
  return changed ? { ...state, messages } : state;
}

export function findAttachment(state: ThreadState, id: string): VisitorAttachment | null {
  for (const message of state.messages) {
    const found = message.attachments.find((attachment) => attachment.id === id);
    if (found) return found;
  }
  return null;
}

/** Images of the conversation, in order, for the viewer's previous and next. */
export function viewableImages(state: ThreadState): VisitorAttachment[] {
  return state.messages.flatMap((message) =>
    message.attachments.filter((attachment) => attachment.kind === 'image' && attachment.url !== null),
  );
}

/** Links stop working at `linksExpireAt`; ask for fresh ones a little before. */
export const linksStale = (attachment: VisitorAttachment, nowMs: number): boolean =>
  attachment.linksExpireAt !== null && attachment.linksExpireAt * 1000 - nowMs < 30_000;

export const newClientId = (): string => {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `w${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
};
