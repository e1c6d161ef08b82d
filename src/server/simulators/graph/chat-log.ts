// The simulated customers of a WhatsApp or Instagram simulator channel, and their chats as
// the customer's app shows them: what each customer sent the helpdesk, and what the helpdesk
// sent them (the media as Meta received it, the status Meta reported, Meta's errors). Kept in
// memory and bounded: the oldest media bytes, then the oldest messages, are let go first.
import { randomBytes } from 'node:crypto';

export type ChatDirection = 'to-helpdesk' | 'to-customer';
export type ChatMediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'file';

export interface ChatMedia {
  kind: ChatMediaKind;
  contentType: string;
  size: number;
  name: string | null;
  /** Null once let go to keep memory bounded, or when the provider could not get it. */
  bytes: Buffer | null;
  voice: boolean;
  problem: string | null;
}

export interface ChatCard {
  kind: string;
  url: string;
  title?: string;
}

export interface ChatMessage {
  id: string;
  customer: string;
  direction: ChatDirection;
  /** The provider's message id (wamid, Instagram mid). */
  providerId: string;
  text: string;
  media: ChatMedia[];
  card: ChatCard | null;
  /** What else the customer's app would say about it ("Unsupported message", "Sent as HUMAN_AGENT"…). */
  note: string | null;
  status: string;
  error: string | null;
  at: number;
}

export interface ChatCustomer {
  id: string;
  name: string;
  createdAt: number;
  lastAt: number;
  preview: string;
  messages: number;
}

export interface ChatLog {
  addCustomer(id: string, name: string, at: number): ChatCustomer;
  customer(id: string): ChatCustomer | undefined;
  customers(): ChatCustomer[];
  conversation(id: string): ChatMessage[];
  record(message: Omit<ChatMessage, 'id'>): ChatMessage;
  byProviderId(providerId: string): ChatMessage | undefined;
  find(id: string): ChatMessage | undefined;
  /** Replaces a message's media once the provider has it (e.g. fetched after acceptance). */
  setMedia(message: ChatMessage, media: ChatMedia[]): void;
}

export interface ChatLogLimits {
  maxMessages: number;
  maxMediaBytes: number;
}

const MEDIA_WORDS: Record<ChatMediaKind, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
  file: 'File',
};

export function previewOf(message: Pick<ChatMessage, 'text' | 'media' | 'card' | 'note'>): string {
  const text = message.text.trim();
  if (text) return text.slice(0, 80);
  const first = message.media[0];
  if (first)
    return first.voice
      ? 'Voice message'
      : first.kind === 'document' || first.kind === 'file'
        ? (first.name ?? MEDIA_WORDS[first.kind])
        : MEDIA_WORDS[first.kind];
  if (message.card) return message.card.title ?? message.card.kind;
  return message.note ?? '';
}

export function createChatLog(limits: ChatLogLimits): ChatLog {
  const customers = new Map<string, ChatCustomer>();
  const messages: ChatMessage[] = [];
  let mediaBytes = 0;

  function trim(): void {
    for (const message of messages) {
      if (mediaBytes <= limits.maxMediaBytes) break;
      for (const item of message.media) {
        if (!item.bytes) continue;
        mediaBytes -= item.bytes.length;
        item.bytes = null;
        item.problem = 'No longer kept by the simulator.';
      }
    }
    while (messages.length > limits.maxMessages) {
      const dropped = messages.shift();
      for (const item of dropped?.media ?? []) mediaBytes -= item.bytes?.length ?? 0;
    }
  }

  const addCustomer = (id: string, name: string, at: number): ChatCustomer => {
    const existing = customers.get(id);
    if (existing) return existing;
    const created: ChatCustomer = { id, name, createdAt: at, lastAt: at, preview: '', messages: 0 };
    customers.set(id, created);
    return created;
  };

  return {
    addCustomer,
    customer: (id) => customers.get(id),
    customers: () => [...customers.values()].sort((a, b) => b.lastAt - a.lastAt),
    conversation: (id) => messages.filter((message) => message.customer === id),
    record(input) {
      const message: ChatMessage = { ...input, id: randomBytes(8).toString('hex') };
      messages.push(message);
      mediaBytes += message.media.reduce((sum, item) => sum + (item.bytes?.length ?? 0), 0);
      const customer = addCustomer(message.customer, message.customer, message.at);
      customer.lastAt = message.at;
      customer.preview = previewOf(message);
      customer.messages += 1;
      trim();
      return message;
    },
    byProviderId: (providerId) => messages.find((message) => message.providerId === providerId),
    find: (id) => messages.find((message) => message.id === id),
    setMedia(message, media) {
      mediaBytes -= message.media.reduce((sum, item) => sum + (item.bytes?.length ?? 0), 0);
      message.media = media;
      mediaBytes += media.reduce((sum, item) => sum + (item.bytes?.length ?? 0), 0);
      trim();
    },
  };
}
