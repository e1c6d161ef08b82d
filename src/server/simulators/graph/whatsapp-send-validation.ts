// Synchronous checks of `POST /{version}/{phone-number-id}/messages`, as the Cloud API makes
// them before it answers 200 (problems found later arrive as a `failed` status).
import type { GraphFailure } from './graph-reply.js';
import { invalidParameter } from './graph-reply.js';
import { CAPTION_MAX_CHARS, TEXT_MAX_CHARS, mediaTypeForMime } from './whatsapp-media-rules.js';
import type { WhatsAppMediaType } from './whatsapp-payloads.js';

export type WhatsAppSendSpec = { to: string; waId: string } & (
  | { type: 'text'; body: string }
  | {
      type: WhatsAppMediaType;
      mediaId?: string;
      link?: string;
      caption?: string;
      filename?: string;
    }
  | { type: 'template'; name: string; language: string }
);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const MEDIA_TYPES: readonly string[] = ['image', 'video', 'audio', 'document', 'sticker'];
const fail = (details: string, message?: string): { ok: false; failure: GraphFailure } => ({
  ok: false,
  failure: invalidParameter(details, 'whatsapp', message),
});

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function validateWhatsAppSend(
  body: unknown,
  mediaMimeType: (id: string) => string | undefined,
): { ok: true; spec: WhatsAppSendSpec } | { ok: false; failure: GraphFailure } {
  const required = (name: string) =>
    fail(`The parameter ${name} is required.`, `(#100) The parameter ${name} is required.`);
  if (!isObject(body) || body.messaging_product !== 'whatsapp') return required('messaging_product');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return fail("Param recipient_type must be 'individual'.");
  }
  if (typeof body.to !== 'string' || !body.to.trim()) return required('to');
  const waId = body.to.replace(/[\s()+-]/g, '');
  if (!/^\d{7,15}$/.test(waId)) return fail(`Recipient phone number ${body.to} is not valid.`);
  const to = body.to;
  const type = body.type === undefined ? 'text' : body.type;

  if (type === 'text') {
    const text = body.text;
    if (!isObject(text) || typeof text.body !== 'string' || !text.body) return required("text['body']");
    if ([...text.body].length > TEXT_MAX_CHARS) {
      return fail(`Param text['body'] must be at most ${TEXT_MAX_CHARS} characters long.`);
    }
    return { ok: true, spec: { to, waId, type, body: text.body } };
  }

  if (type === 'template') {
    const template = body.template;
    if (!isObject(template) || typeof template.name !== 'string') return required("template['name']");
    const language = isObject(template.language) ? template.language.code : undefined;
    if (typeof language !== 'string') return required("template['language']");
    return { ok: true, spec: { to, waId, type, name: template.name, language } };
  }

  if (typeof type !== 'string' || !MEDIA_TYPES.includes(type)) {
    return fail(
      'Unsupported message type.',
      '(#100) Param type must be one of {AUDIO, DOCUMENT, IMAGE, STICKER, TEMPLATE, TEXT, VIDEO}',
    );
  }
  const kind = type as WhatsAppMediaType;
  const object = body[kind];
  if (!isObject(object)) return required(kind);
  const id = typeof object.id === 'string' ? object.id : undefined;
  const link = typeof object.link === 'string' ? object.link : undefined;
  if ((id === undefined) === (link === undefined))
    return fail(`Param ${kind} must have exactly one of id or link.`);
  if (link !== undefined && !isHttpUrl(link)) return fail(`Param ${kind}['link'] is not a valid URL.`);
  if (id !== undefined) {
    const mime = mediaMimeType(id);
    if (!mime) return fail(`Media id ${id} does not exist or has expired.`);
    if (mediaTypeForMime(mime) !== kind)
      return fail(`Media id ${id} has type ${mime}, which cannot be sent as ${kind}.`);
  }
  const caption = object.caption;
  if (caption !== undefined) {
    if (kind === 'audio' || kind === 'sticker') return fail(`Param ${kind}['caption'] is not allowed.`);
    if (typeof caption !== 'string') return fail(`Param ${kind}['caption'] must be a string.`);
    if ([...caption].length > CAPTION_MAX_CHARS) {
      return fail(`Param ${kind}['caption'] must be at most ${CAPTION_MAX_CHARS} characters long.`);
    }
  }
  const filename = kind === 'document' && typeof object.filename === 'string' ? object.filename : undefined;
  return {
    ok: true,
    spec: {
      to,
      waId,
      type: kind,
      ...(id === undefined ? {} : { mediaId: id }),
      ...(link === undefined ? {} : { link }),
      ...(typeof caption === 'string' ? { caption } : {}),
      ...(filename === undefined ? {} : { filename }),
    },
  };
}
