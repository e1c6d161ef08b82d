// Builders for WhatsApp Cloud API webhook payloads, shaped like Meta's: an envelope with
// `entry[].changes[].value` holding contacts and messages, statuses or errors.
import { randomBytes } from 'node:crypto';

export interface WhatsAppAccount {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface WhatsAppError {
  code: number;
  title: string;
  message?: string;
  error_data?: { details: string };
  href?: string;
}

export type WhatsAppMediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface WhatsAppMediaObject {
  id: string;
  mime_type: string;
  sha256: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface WhatsAppInboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  image?: WhatsAppMediaObject;
  video?: WhatsAppMediaObject;
  audio?: WhatsAppMediaObject;
  document?: WhatsAppMediaObject;
  sticker?: WhatsAppMediaObject;
  errors?: WhatsAppError[];
  context?: { from: string; id: string };
}

export interface WhatsAppStatus {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string };
  errors?: WhatsAppError[];
}

export interface WhatsAppValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: Array<{ profile: { name: string }; wa_id: string }>;
  messages?: WhatsAppInboundMessage[];
  statuses?: WhatsAppStatus[];
  errors?: WhatsAppError[];
}

export interface WhatsAppEnvelope {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ field: 'messages'; value: WhatsAppValue }> }>;
}

/** A message id in Meta's `wamid.` form. */
export const newWamid = (): string => `wamid.HBgL${randomBytes(30).toString('base64')}`;

export const unixSeconds = (ms: number): string => String(Math.floor(ms / 1000));

export function buildWhatsAppEnvelope(
  account: WhatsAppAccount,
  content: Pick<WhatsAppValue, 'contacts' | 'messages' | 'statuses' | 'errors'>,
): WhatsAppEnvelope {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: account.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: account.displayPhoneNumber,
                phone_number_id: account.phoneNumberId,
              },
              ...content,
            },
          },
        ],
      },
    ],
  };
}

export const waContact = (waId: string, name: string): { profile: { name: string }; wa_id: string } => ({
  profile: { name },
  wa_id: waId,
});

interface MessageBase {
  from: string;
  id?: string;
  /** Milliseconds since the epoch (default: now). */
  at?: number;
  context?: { from: string; id: string };
}

function base(input: MessageBase, type: string): WhatsAppInboundMessage {
  return {
    from: input.from,
    id: input.id ?? newWamid(),
    timestamp: unixSeconds(input.at ?? Date.now()),
    type,
    ...(input.context ? { context: input.context } : {}),
  };
}

export const waTextMessage = (input: MessageBase & { body: string }): WhatsAppInboundMessage => ({
  ...base(input, 'text'),
  text: { body: input.body },
});

export function waMediaMessage(
  input: MessageBase & { type: WhatsAppMediaType; media: WhatsAppMediaObject },
): WhatsAppInboundMessage {
  return { ...base(input, input.type), [input.type]: input.media };
}

export const waUnsupportedMessage = (
  input: MessageBase & { errors?: WhatsAppError[] },
): WhatsAppInboundMessage => ({
  ...base(input, 'unsupported'),
  errors: input.errors ?? [
    {
      code: 131051,
      title: 'Message type unknown',
      message: 'Message type unknown',
      error_data: { details: 'Message type is currently not supported.' },
    },
  ],
});

export function waError(code: number, title: string, details: string): WhatsAppError {
  return {
    code,
    title,
    message: title,
    error_data: { details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}

export function waStatus(input: {
  id: string;
  status: WhatsAppStatus['status'];
  recipientId: string;
  at?: number;
  errors?: WhatsAppError[];
}): WhatsAppStatus {
  const billable = input.status === 'sent' || input.status === 'delivered';
  return {
    id: input.id,
    status: input.status,
    timestamp: unixSeconds(input.at ?? Date.now()),
    recipient_id: input.recipientId,
    ...(billable
      ? {
          conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
        }
      : {}),
    ...(input.errors ? { errors: input.errors } : {}),
  };
}
