// `POST /{version}/{ig-id | page-id | me}/messages`: validated like the Messenger Platform
// for Instagram. Attachment URLs are fetched during the request, the way Meta does, and
// checked against the type family and size limits; the 24-hour window (7 days with the
// HUMAN_AGENT tag) is enforced per recipient; an echo of each send goes to the webhook.
import type { ServerResponse } from 'node:http';
import { graphErrorCodes } from '../../channels/meta/graph-error.js';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendJson } from '../shared/loopback-server.js';
import { providerFetch } from '../shared/provider-fetch.js';
import { bytesMatchDeclaredType, essence, sameMediaType } from '../shared/sniff-media-type.js';
import type { GraphFailure, TokenState } from './graph-reply.js';
import { checkToken, invalidParameter, sendGraphError } from './graph-reply.js';
import { newInstagramMid } from './instagram-payloads.js';

export type InstagramWindow = 'open' | 'human-agent' | 'closed';
export type InstagramSendType = 'image' | 'video' | 'audio' | 'file';

const MB = 1024 * 1024;
export const instagramAttachmentRules: Readonly<
  Record<InstagramSendType, { mimeTypes: readonly string[]; maxBytes: number }>
> = {
  // GIF is accepted (and animates) in Instagram DMs.
  image: { mimeTypes: ['image/png', 'image/jpeg', 'image/gif'], maxBytes: 8 * MB },
  video: {
    mimeTypes: ['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/quicktime', 'video/webm'],
    maxBytes: 25 * MB,
  },
  audio: { mimeTypes: ['audio/aac', 'audio/mp4', 'audio/wav', 'video/mp4'], maxBytes: 25 * MB },
  file: { mimeTypes: ['application/pdf'], maxBytes: 25 * MB },
};
export const INSTAGRAM_TEXT_MAX_BYTES = 1000;

export interface InstagramSentMessage {
  mid: string;
  recipientId: string;
  request: unknown;
  text?: string;
  attachment?: { type: InstagramSendType; url: string; bytes: Buffer; contentType: string };
  tag?: string;
  messagingType?: string;
}

export interface InstagramSendDeps {
  igAccountId: string;
  token: TokenState;
  fetchTimeoutMs: number;
  windows: Map<string, InstagramWindow>;
  sendErrors: Map<string, GraphFailure>;
  onAccepted: (message: InstagramSentMessage) => void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const bad = (details: string, message = '(#100) Invalid parameter'): GraphFailure =>
  invalidParameter(details, 'instagram', message);
const attachmentFailure = (subcode: number, message: string): GraphFailure => ({
  status: 400,
  error: { message, code: graphErrorCodes.invalidParameter, subcode, type: 'OAuthException' },
});
const outsideWindow: GraphFailure = {
  status: 400,
  error: {
    message: '(#10) This message is sent outside of allowed window.',
    code: graphErrorCodes.permissionDenied,
    subcode: graphErrorCodes.outsideWindowSubcode,
  },
};

function readBody(request: SimRequest): unknown {
  const text = request.body.toString('utf8');
  try {
    if ((request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(text);
      const field = (name: string): unknown => {
        const value = form.get(name);
        return value === null ? undefined : (JSON.parse(value) as unknown);
      };
      return { recipient: field('recipient'), message: field('message'), ...Object.fromEntries(form) };
    }
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function fetchAttachment(
  type: InstagramSendType,
  url: string,
  timeoutMs: number,
): Promise<{ ok: true; bytes: Buffer; contentType: string } | { ok: false; failure: GraphFailure }> {
  const rule = instagramAttachmentRules[type];
  const fetched = await providerFetch(url, {
    timeoutMs,
    maxBytes: rule.maxBytes,
    headers: { 'user-agent': 'facebookexternalua' },
  });
  if (!fetched.ok) {
    if (fetched.reason === 'too-large') {
      return {
        ok: false,
        failure: attachmentFailure(
          graphErrorCodes.uploadFailureSubcode,
          `(#100) Upload attachment failure: the file exceeds the ${rule.maxBytes / MB} MB limit for ${type}.`,
        ),
      };
    }
    return {
      ok: false,
      failure: attachmentFailure(
        graphErrorCodes.fetchFailedSubcode,
        '(#100) Failed to fetch the file from the url',
      ),
    };
  }
  const declared = essence(fetched.contentType);
  const inFamily = rule.mimeTypes.some((mime) => sameMediaType(mime, declared));
  const matches = inFamily && (await bytesMatchDeclaredType(fetched.bytes, declared)).ok;
  if (!matches) {
    return {
      ok: false,
      failure: attachmentFailure(
        graphErrorCodes.uploadFailureSubcode,
        '(#100) Upload attachment failure. A common way to hit this is that the provided media type does not match type of file provided in the url',
      ),
    };
  }
  return { ok: true, bytes: fetched.bytes, contentType: declared };
}

export async function handleInstagramSend(
  request: SimRequest,
  response: ServerResponse,
  deps: InstagramSendDeps,
): Promise<void> {
  const denied = checkToken(request, deps.token, 'instagram');
  if (denied) return sendGraphError(response, denied);
  const body = readBody(request);
  if (!isObject(body))
    return sendGraphError(response, bad('Body is not JSON.', '(#100) The parameter recipient is required'));
  const recipient = body.recipient;
  const recipientId = isObject(recipient) && typeof recipient.id === 'string' ? recipient.id : undefined;
  if (!recipientId)
    return sendGraphError(response, bad('recipient.id', '(#100) The parameter recipient is required'));
  const message = body.message;
  if (!isObject(message))
    return sendGraphError(response, bad('message', '(#100) The parameter message is required'));
  const tag = typeof body.tag === 'string' ? body.tag : undefined;
  const messagingType = typeof body.messaging_type === 'string' ? body.messaging_type : undefined;
  if (tag !== undefined && tag !== 'HUMAN_AGENT')
    return sendGraphError(response, bad('Param tag must be HUMAN_AGENT'));
  if (messagingType !== undefined && !['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(messagingType)) {
    return sendGraphError(response, bad('Param messaging_type must be one of RESPONSE, UPDATE, MESSAGE_TAG'));
  }
  if (tag !== undefined && messagingType !== undefined && messagingType !== 'MESSAGE_TAG') {
    return sendGraphError(response, bad('A tag requires messaging_type MESSAGE_TAG'));
  }
  const text = typeof message.text === 'string' ? message.text : undefined;
  const attachment = isObject(message.attachment) ? message.attachment : undefined;
  if ((text === undefined) === (attachment === undefined)) {
    return sendGraphError(response, bad('Send either message.text or message.attachment, not both.'));
  }
  if (text !== undefined && (!text || Buffer.byteLength(text) > INSTAGRAM_TEXT_MAX_BYTES)) {
    return sendGraphError(
      response,
      bad(`message.text must be 1 to ${INSTAGRAM_TEXT_MAX_BYTES} bytes of UTF-8.`),
    );
  }
  let type: InstagramSendType | undefined;
  let url: string | undefined;
  if (attachment) {
    if (typeof attachment.type !== 'string' || !(attachment.type in instagramAttachmentRules)) {
      return sendGraphError(
        response,
        bad(
          'message.attachment.type',
          '(#100) Param message[attachment][type] must be one of {IMAGE, VIDEO, AUDIO, FILE}',
        ),
      );
    }
    type = attachment.type as InstagramSendType;
    const payload = isObject(attachment.payload) ? attachment.payload : {};
    if (typeof payload.attachment_id === 'string') {
      return sendGraphError(response, bad(`Attachment id ${payload.attachment_id} does not exist.`));
    }
    url = typeof payload.url === 'string' ? payload.url : undefined;
    if (!url || !/^https?:\/\//.test(url))
      return sendGraphError(response, bad('message.attachment.payload.url'));
  }
  const injected = deps.sendErrors.get(recipientId);
  if (injected) return sendGraphError(response, injected);
  const window = deps.windows.get(recipientId) ?? 'open';
  if (window === 'closed' || (window === 'human-agent' && tag !== 'HUMAN_AGENT')) {
    return sendGraphError(response, outsideWindow);
  }
  const sent: InstagramSentMessage = {
    mid: newInstagramMid(deps.igAccountId),
    recipientId,
    request: body,
    ...(text === undefined ? {} : { text }),
    ...(tag === undefined ? {} : { tag }),
    ...(messagingType === undefined ? {} : { messagingType }),
  };
  if (type && url) {
    const fetched = await fetchAttachment(type, url, deps.fetchTimeoutMs);
    if (!fetched.ok) return sendGraphError(response, fetched.failure);
    sent.attachment = { type, url, bytes: fetched.bytes, contentType: fetched.contentType };
  }
  sendJson(response, 200, { recipient_id: recipientId, message_id: sent.mid });
  deps.onAccepted(sent);
}
