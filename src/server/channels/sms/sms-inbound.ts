// Twilio's form fields → channel-neutral events: an incoming SMS/MMS (with each media item
// checked before anyone downloads it) or a status callback for one of our messages.
import type { InboundAttachment, InboundMessageEvent, InboundStatusEvent } from '../adapter.js';
import { describeTwilioError, twilioErrorCode } from './twilio-errors.js';

export const MAX_INBOUND_MEDIA = 10;
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/([A-Z]{2}[0-9a-fA-F]{32})\/Media\/(ME[0-9a-fA-F]{32})$/;

/** A webhook we refuse: the reason is logged, and the answer is 400 (Twilio does not retry it). */
export class InboundProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboundProblem';
  }
}

export interface MediaSource extends Record<string, unknown> {
  url: string;
  index: number;
}

/**
 * Whether a MediaUrl may be fetched with the account's credentials: the configured API host,
 * the account's own media path, and nothing else.
 */
export function checkMediaUrl(url: string, apiBaseUrl: string, accountSid: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The link Twilio gave for this item is not a valid address.';
  }
  const api = new URL(apiBaseUrl);
  if (parsed.protocol !== api.protocol || parsed.host !== api.host) {
    return `The link for this item points to ${parsed.host || 'an unknown host'}, not to Twilio; it was not downloaded.`;
  }
  const match = MEDIA_PATH.exec(parsed.pathname);
  if (!match || match[1] !== accountSid || parsed.search || parsed.username || parsed.password) {
    return 'The link for this item is not a media address of this Twilio account; it was not downloaded.';
  }
  return null;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/calendar': 'ics',
  'application/pdf': 'pdf',
};

function mediaName(index: number, contentType: string | undefined): string {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const family = essence.split('/')[0];
  const label =
    family === 'image' ? 'photo' : family === 'video' ? 'video' : family === 'audio' ? 'audio' : 'file';
  const extension = EXTENSIONS[essence];
  return `mms-${label}-${index + 1}${extension ? `.${extension}` : ''}`;
}

export interface ParseContext {
  apiBaseUrl: string;
  accountSid: string;
  /** Notes about a webhook we accept with a problem (logged by the caller). */
  warn(reason: string, details?: Record<string, unknown>): void;
}

function mediaIndices(form: URLSearchParams, declared: number): number[] {
  const found = new Set<number>();
  for (const name of form.keys()) {
    const match = /^MediaUrl(\d{1,2})$/.exec(name);
    if (match) found.add(Number(match[1]));
  }
  const count = Math.max(declared, found.size ? Math.max(...found) + 1 : 0);
  return Array.from({ length: Math.min(count, MAX_INBOUND_MEDIA) }, (_, index) => index);
}

export function parseInboundMessage(form: URLSearchParams, context: ParseContext): InboundMessageEvent {
  const messageSid = form.get('MessageSid')?.trim() || form.get('SmsMessageSid')?.trim() || '';
  const from = form.get('From')?.trim() ?? '';
  if (!messageSid) throw new InboundProblem('The webhook has no MessageSid.');
  if (!SID.test(messageSid))
    throw new InboundProblem(`MessageSid "${messageSid.slice(0, 40)}" is not a Twilio sid.`);
  if (!from) throw new InboundProblem('The webhook has no From number.');
  const accountSid = form.get('AccountSid')?.trim();
  if (accountSid && accountSid !== context.accountSid) {
    throw new InboundProblem(`The webhook is for another Twilio account (${accountSid}).`);
  }
  const numMediaField = form.get('NumMedia');
  const declared = numMediaField === null ? 0 : Number(numMediaField);
  if (numMediaField !== null && (!Number.isInteger(declared) || declared < 0)) {
    context.warn('NumMedia is not a count; the MediaUrl fields decide', { numMedia: numMediaField });
  }
  const indices = mediaIndices(form, Number.isInteger(declared) && declared > 0 ? declared : 0);
  const urls = indices.filter((index) => form.get(`MediaUrl${index}`));
  if (Number.isInteger(declared) && declared !== urls.length) {
    context.warn('NumMedia disagrees with the MediaUrl fields', {
      numMedia: declared,
      mediaUrls: urls.length,
    });
  }
  if (declared > MAX_INBOUND_MEDIA) {
    context.warn('more media than Twilio delivers; the first ten are kept', { numMedia: declared });
  }

  const attachments: InboundAttachment[] = indices.map((index) => {
    const url = form.get(`MediaUrl${index}`)?.trim() ?? '';
    const declaredType = form.get(`MediaContentType${index}`)?.trim() || undefined;
    const base = {
      name: mediaName(index, declaredType),
      ...(declaredType ? { declaredType } : {}),
    };
    if (!url) {
      return {
        ...base,
        source: {},
        unavailableReason: 'Twilio announced this item but sent no link to it.',
      };
    }
    const refusal = checkMediaUrl(url, context.apiBaseUrl, context.accountSid);
    if (refusal) {
      context.warn('media link refused', { index, host: safeHost(url) });
      return { ...base, source: {}, unavailableReason: refusal };
    }
    const source: MediaSource = { url, index };
    return { ...base, source };
  });

  const to = form.get('To')?.trim();
  const country = form.get('FromCountry')?.trim();
  return {
    type: 'message',
    providerMessageId: messageSid,
    from: { externalId: from, ...(from.startsWith('+') ? { phone: from } : {}) },
    text: form.get('Body') ?? '',
    attachments,
    meta: {
      ...(to ? { to } : {}),
      ...(country ? { fromCountry: country } : {}),
      ...(form.get('NumSegments') ? { segments: Number(form.get('NumSegments')) || 1 } : {}),
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

const STATUS: Record<string, InboundStatusEvent['status'] | undefined> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** A status callback, or null when it carries nothing we track (e.g. "receiving"). */
export function parseStatusCallback(form: URLSearchParams): InboundStatusEvent | null {
  const messageSid = form.get('MessageSid')?.trim() || form.get('SmsSid')?.trim() || '';
  const raw = (form.get('MessageStatus') ?? form.get('SmsStatus') ?? '').trim().toLowerCase();
  if (!messageSid) throw new InboundProblem('The status callback has no MessageSid.');
  if (!raw) throw new InboundProblem('The status callback has no MessageStatus.');
  const status = STATUS[raw];
  if (!status) return null;
  const event: InboundStatusEvent = { type: 'status', providerMessageId: messageSid, status };
  if (status !== 'failed') return event;
  const codeField = form.get('ErrorCode')?.trim();
  const code = codeField && /^\d+$/.test(codeField) ? Number(codeField) : null;
  if (raw === 'canceled') {
    return {
      ...event,
      errorCode: 'twilio-canceled',
      errorMessage: 'The message was canceled before it was sent.',
    };
  }
  return {
    ...event,
    errorCode: code === null ? `twilio-${raw}` : twilioErrorCode(code),
    errorMessage: describeTwilioError(code, form.get('ErrorMessage') ?? undefined).text,
  };
}
