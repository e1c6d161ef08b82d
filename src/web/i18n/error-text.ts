// Server errors in the agent's language. The API answers `{error: {code, message, details?}}`
// with stable codes, and failed messages carry a stable `errorCode`; each known code has a
// catalog message, and an unknown one falls back to the server's own (English) words.
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { MessageKey } from './catalog-types.js';
import en from './catalogs/en.js';
import type { I18n } from './i18n.js';

type Translate = I18n['t'];

export interface ServerError {
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
}

/** Catalog labels of a form's fields, by the API's field path (`name`, `config.authToken`). */
export type FieldLabels = Readonly<Record<string, MessageKey>>;

const apiCodes: Readonly<Record<string, MessageKey>> = {
  bad_request: 'error.bad_request',
  invalid_json: 'error.bad_request',
  validation_failed: 'error.validation',
  empty_upload: 'error.empty_upload',
  file_type_mismatch: 'error.file_type_mismatch',
  file_type_blocked: 'error.file_type_blocked',
  file_corrupt: 'error.file_corrupt',
  image_too_large: 'error.image_too_large',
  unsupported_media: 'error.unsupported_media',
  invalid_boxes: 'error.invalid_boxes',
  unauthenticated: 'login.expired',
  invalid_credentials: 'login.invalid',
  csrf_failed: 'error.csrf_failed',
  forbidden: 'error.forbidden',
  origin_not_allowed: 'error.forbidden',
  signature_invalid: 'error.forbidden',
  not_found: 'error.not_found',
  conflict: 'error.conflict',
  gone: 'error.gone',
  payload_too_large: 'error.payload_too_large',
  rate_limited: 'login.tooMany',
  channel_unavailable: 'error.channel_unavailable',
  provider_error: 'error.provider_error',
  not_ready: 'error.not_ready',
  // Written by the agent app's own HTTP client.
  network: 'login.unreachable',
  server_error: 'common.unexpectedError',
  request_failed: 'common.unexpectedError',
};

const fieldIssues: Readonly<Record<string, MessageKey>> = {
  required: 'error.field.required',
  invalid: 'error.field.invalid',
  unknown_field: 'error.field.unknown',
};

const isServerError = (value: unknown): value is ServerError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { code?: unknown }).code === 'string' &&
  typeof (value as { message?: unknown }).message === 'string';

const has = (table: Readonly<Record<string, MessageKey>>, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(table, key);

/**
 * What to show for a failed request: the catalog's words for its code, the field named with
 * the form's own label for a validation error (its API path when the form has no label for
 * it), or the server's text for a code not known here.
 */
export function errorText(t: Translate, error: unknown, labels: FieldLabels = {}): string {
  if (!isServerError(error)) return t('common.unexpectedError');
  const { code, details } = error;
  if (code === 'validation_failed') {
    const field = typeof details?.field === 'string' ? details.field : '';
    const issue =
      typeof details?.issue === 'string' && has(fieldIssues, details.issue) ? details.issue : 'invalid';
    const label = has(labels, field) ? labels[field] : undefined;
    // A field the form does not show is named by its API path, still in the agent's words.
    const name = label ? t(label) : field;
    if (name) return t(fieldIssues[issue] ?? 'error.field.invalid', { field: name });
    return t('error.validation');
  }
  if (code === 'conflict') {
    if (details?.reason === 'last_admin') return t('error.lastAdmin');
    const field = typeof details?.field === 'string' ? details.field : '';
    const label = has(labels, field) ? labels[field] : undefined;
    if (label) return t('error.field.taken', { field: t(label) });
  }
  if (code === 'internal') {
    const reference = typeof details?.requestId === 'string' ? details.requestId : '';
    return reference ? t('error.internal', { reference }) : t('common.unexpectedError');
  }
  const key = has(apiCodes, code) ? apiCodes[code] : undefined;
  if (key) return t(key);
  return error.message.trim() || t('common.unexpectedError');
}

const quotedName = (text: string): string => /["“]([^"”]+)["”]/.exec(text)?.[1] ?? '';

/** The words after the provider's prefix (the relay's own reply for a refused e-mail). */
const afterColon = (text: string): string => text.slice(text.indexOf(':') + 1).trim();

/** Codes are looked up by building their key; the source catalog says whether it exists. */
const isCatalogKey = (key: string): key is MessageKey =>
  Object.prototype.hasOwnProperty.call(en.messages, key);

const META_TOKEN = new Set(['190', '102', '463', '467']);
const META_RATE_LIMITS = new Set(['4', '17', '32', '613', '80007', '130429', '131048', '131056']);

function metaKey(kind: ChannelKind | null, code: string): MessageKey | undefined {
  if (kind === 'whatsapp') {
    if (code === '131047' || code === '470') return 'deliveryError.whatsapp.window';
    const key = `deliveryError.whatsapp.${code}`;
    if (isCatalogKey(key)) return key;
  }
  if (kind === 'instagram') {
    if (code === '10/2534022') return 'deliveryError.instagram.window';
    if (code === '551') return 'deliveryError.instagram.551';
  }
  return undefined;
}

export interface FailedDelivery {
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * Why a reply was not delivered, in the agent's language: by the stable code the server
 * stored on the message (`twilio-30007`, `131047`, `smtp_550`, `no_recipient`, …), else the
 * server's words, else a general reason.
 */
export function deliveryErrorText(t: Translate, failed: FailedDelivery, kind: ChannelKind | null): string {
  const code = failed.errorCode ?? '';
  const server = failed.errorMessage?.trim() ?? '';
  const channel = kind ? t(`channel.${kind}`) : '';
  const named = { name: quotedName(server), channel };
  const twilio = /^twilio-(\d+)$/.exec(code);
  if (twilio) {
    const key = `deliveryError.twilio.${twilio[1]}`;
    if (isCatalogKey(key)) return t(key);
  }
  const smtp = /^smtp_([45])\d\d$/.exec(code);
  if (smtp && server.includes(':')) {
    return t(smtp[1] === '5' ? 'deliveryError.smtpRefused' : 'deliveryError.smtpDeferred', {
      detail: afterColon(server),
    });
  }
  const meta = kind === 'whatsapp' || kind === 'instagram';
  if (meta) {
    const key = metaKey(kind, code);
    if (key) return t(key);
    if (META_TOKEN.has(code)) return t('deliveryError.tokenExpired', { channel });
    if (META_RATE_LIMITS.has(code)) return t('deliveryError.rateLimited', { channel });
  }
  switch (code) {
    case 'channel_unavailable':
      return t('deliveryError.channelUnavailable');
    case 'no_recipient':
      return t('deliveryError.noRecipient');
    case 'smtp_auth':
      return t('deliveryError.smtpAuth');
    case 'provider_unreachable':
    case 'twilio-unreachable':
    case 'smtp_unreachable':
      if (channel) return t('deliveryError.unreachable', { channel });
      break;
  }
  if (named.name) {
    if (code === 'attachment_missing') return t('deliveryError.attachmentMissing', named);
    if (channel && code === 'too_large') return t('deliveryError.tooLarge', named);
    if (channel && code === 'type_not_supported') return t('deliveryError.typeNotSupported', named);
    if (channel && code === 'attachment_rejected') return t('deliveryError.attachmentRejected', named);
  }
  return server || t('delivery.failedUnknown');
}
