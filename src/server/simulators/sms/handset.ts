// The simulated customers' phones of one SMS simulator channel: every message a customer
// texted to the helpdesk and every message the helpdesk sent them, as the handset shows it
// (the media as Twilio fetched it from us, the delivery status Twilio reported). Kept in
// memory and bounded: the oldest messages, then the oldest media bytes, are let go first.
import { randomBytes } from 'node:crypto';
import type { TwilioSentMessage } from '../fake-twilio.js';

export type HandsetDirection = 'to-helpdesk' | 'to-customer';

export interface HandsetMedia {
  contentType: string;
  size: number;
  /** Null once let go to keep memory bounded, or when Twilio could not fetch it. */
  bytes: Buffer | null;
  problem: string | null;
}

export interface HandsetMessage {
  id: string;
  customer: string;
  direction: HandsetDirection;
  sid: string;
  body: string;
  media: HandsetMedia[];
  /** Twilio's status for messages to the customer; "received" for the customer's own. */
  status: string;
  errorCode: number | null;
  /** True when Twilio turned media into links (a number outside the US and Canada). */
  convertedToSms: boolean;
  at: number;
}

export interface HandsetCustomer {
  phone: string;
  createdAt: number;
  lastAt: number;
  preview: string;
  messages: number;
}

export interface HandsetLimits {
  maxMessages: number;
  maxMediaBytes: number;
}

export interface Handset {
  addCustomer(phone: string, at: number): HandsetCustomer;
  hasCustomer(phone: string): boolean;
  customers(): HandsetCustomer[];
  conversation(phone: string): HandsetMessage[];
  /** A message the customer texted (before the webhook is delivered). */
  recordInbound(input: {
    customer: string;
    sid: string;
    body: string;
    media: ReadonlyArray<{ bytes: Buffer; contentType: string }>;
    at: number;
  }): HandsetMessage;
  /** A message the helpdesk sent through the simulated Messages API (created or updated). */
  recordOutbound(message: TwilioSentMessage): HandsetMessage;
  find(id: string): HandsetMessage | undefined;
}

const previewOf = (message: HandsetMessage): string =>
  message.body.trim().slice(0, 80) ||
  (message.media.length ? `${message.media.length} attachment${message.media.length > 1 ? 's' : ''}` : '');

/** The media of a message as the phone shows it: fetched, failed, or still on its way. */
function outboundMedia(sent: TwilioSentMessage): HandsetMedia[] {
  if (sent.convertedToSms) return [];
  return sent.mediaUrls.map((_url, index) => {
    const fetched = sent.media[index];
    if (!fetched) {
      const settled = ['failed', 'undelivered', 'delivered'].includes(sent.status);
      return {
        contentType: '',
        size: 0,
        bytes: null,
        problem: settled ? 'Twilio did not fetch this file.' : null,
      };
    }
    return {
      contentType: fetched.get.contentType ?? fetched.head.contentType ?? 'application/octet-stream',
      size: fetched.bytes?.length ?? 0,
      bytes: fetched.bytes ?? null,
      problem: fetched.bytes
        ? null
        : (fetched.get.error ?? fetched.head.error ?? 'Twilio could not fetch this file.'),
    };
  });
}

export function createHandset(limits: HandsetLimits): Handset {
  const customers = new Map<string, HandsetCustomer>();
  const messages: HandsetMessage[] = [];
  const bySid = new Map<string, HandsetMessage>();
  let mediaBytes = 0;

  const trim = (): void => {
    while (messages.length > limits.maxMessages) {
      const dropped = messages.shift();
      if (!dropped) break;
      bySid.delete(dropped.sid);
      for (const item of dropped.media) mediaBytes -= item.bytes?.length ?? 0;
    }
    for (const message of messages) {
      if (mediaBytes <= limits.maxMediaBytes) break;
      for (const item of message.media) {
        if (!item.bytes) continue;
        mediaBytes -= item.bytes.length;
        item.bytes = null;
        item.problem = 'No longer kept by the simulator (older media are let go).';
      }
    }
  };

  const touch = (message: HandsetMessage): void => {
    const customer = customers.get(message.customer) ?? addCustomer(message.customer, message.at);
    customer.lastAt = Math.max(customer.lastAt, message.at);
    customer.preview = previewOf(message);
    customer.messages = messages.filter((item) => item.customer === message.customer).length;
  };

  function addCustomer(phone: string, at: number): HandsetCustomer {
    const existing = customers.get(phone);
    if (existing) return existing;
    const customer: HandsetCustomer = { phone, createdAt: at, lastAt: at, preview: '', messages: 0 };
    customers.set(phone, customer);
    return customer;
  }

  const store = (message: HandsetMessage): HandsetMessage => {
    messages.push(message);
    bySid.set(message.sid, message);
    for (const item of message.media) mediaBytes += item.bytes?.length ?? 0;
    trim();
    touch(message);
    return message;
  };

  return {
    addCustomer,
    hasCustomer: (phone) => customers.has(phone),
    customers: () => [...customers.values()].sort((a, b) => b.lastAt - a.lastAt),
    conversation: (phone) => messages.filter((message) => message.customer === phone),
    recordInbound(input) {
      return store({
        id: randomBytes(8).toString('hex'),
        customer: input.customer,
        direction: 'to-helpdesk',
        sid: input.sid,
        body: input.body,
        media: input.media.map((item) => ({
          contentType: item.contentType,
          size: item.bytes.length,
          bytes: item.bytes,
          problem: null,
        })),
        status: 'received',
        errorCode: null,
        convertedToSms: false,
        at: input.at,
      });
    },
    recordOutbound(sent) {
      const media = outboundMedia(sent);
      const existing = bySid.get(sent.sid);
      if (existing) {
        for (const item of existing.media) mediaBytes -= item.bytes?.length ?? 0;
        for (const item of media) mediaBytes += item.bytes?.length ?? 0;
        existing.media = media;
        existing.status = sent.status;
        existing.errorCode = sent.errorCode;
        trim();
        touch(existing);
        return existing;
      }
      return store({
        id: randomBytes(8).toString('hex'),
        customer: sent.to,
        direction: 'to-customer',
        sid: sent.sid,
        body: sent.body,
        media,
        status: sent.status,
        errorCode: sent.errorCode,
        convertedToSms: sent.convertedToSms,
        at: sent.createdAt,
      });
    },
    find: (id) => messages.find((message) => message.id === id),
  };
}
