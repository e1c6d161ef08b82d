// Inbound media as Twilio serves it: `/2010-04-01/Accounts/{AC}/Messages/{MM}/Media/{ME}`
// requires HTTP Basic auth and answers 302 to a short-lived, unauthenticated CDN path. The
// CDN path notes whether an Authorization header ever reached it (it must not), and either
// step can be told to misbehave for the next request.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { buildTwilioError, twilioErrorCodes } from '../../channels/twilio/twilio-error.js';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendJson, sendText } from '../shared/loopback-server.js';
import { hasTwilioBasicAuth } from './twilio-basic-auth.js';
import { newTwilioSid } from './twilio-sids.js';
import type { TwilioMediaFailure } from './twilio-types.js';

interface StoredMedia {
  messageSid: string;
  mediaSid: string;
  bytes: Buffer;
  contentType: string;
  createdAt: number;
}

interface CdnEntry {
  mediaSid: string;
  expiresAt: number;
  behaviour: 'normal' | 'slow-drip' | 'overlong-body';
}

export interface TwilioMediaHostDeps {
  baseUrl: () => string;
  accountSid: string;
  authToken: string;
  clock: () => number;
  /** How long a CDN redirect target stays valid (Twilio: about 4 hours). */
  cdnTtlMs: number;
  drip: { chunkBytes: number; intervalMs: number };
  onMediaRequest: (event: { path: string; authorization: boolean; outcome: string }) => void;
}

export interface TwilioMediaHost {
  add(
    messageSid: string,
    media: { bytes: Uint8Array; contentType: string },
  ): { mediaSid: string; url: string };
  /** Answers the request when it is for media or the CDN; false when it is not. */
  handle(request: SimRequest, response: ServerResponse): boolean;
  failNext(kind: TwilioMediaFailure): void;
  expireCdnUrls(): void;
  cdnSawAuthorization(): boolean;
}

const MEDIA_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\/Media\/([^/.]+)(\.json)?$/;
const CDN_PATH = /^\/cdn\/([^/]+)\/([^/]+)$/;

export function createTwilioMediaHost(deps: TwilioMediaHostDeps): TwilioMediaHost {
  const media = new Map<string, StoredMedia>();
  const cdn = new Map<string, CdnEntry>();
  const pending: TwilioMediaFailure[] = [];
  let authorizationAtCdn = false;

  const mediaUrl = (item: StoredMedia): string =>
    `${deps.baseUrl()}/2010-04-01/Accounts/${deps.accountSid}/Messages/${item.messageSid}/Media/${item.mediaSid}`;

  function serveMediaResource(request: SimRequest, response: ServerResponse, match: RegExpExecArray): void {
    const [, account, messageSid, mediaSid, json] = match;
    const authorized = hasTwilioBasicAuth(request.headers.authorization, deps.accountSid, deps.authToken);
    const report = (outcome: string): void =>
      deps.onMediaRequest({
        path: request.pathname,
        authorization: request.headers.authorization !== undefined,
        outcome,
      });
    if (!authorized) {
      report('unauthorized');
      response.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      sendJson(response, 401, buildTwilioError(401, twilioErrorCodes.authenticate, 'Authenticate'));
      return;
    }
    const item = media.get(mediaSid ?? '');
    if (account !== deps.accountSid || !item || item.messageSid !== messageSid) {
      report('not-found');
      sendJson(
        response,
        404,
        buildTwilioError(
          404,
          twilioErrorCodes.notFound,
          `The requested resource ${request.pathname} was not found`,
        ),
      );
      return;
    }
    if (json) {
      report('metadata');
      sendJson(response, 200, {
        sid: item.mediaSid,
        account_sid: deps.accountSid,
        parent_sid: item.messageSid,
        content_type: item.contentType,
        date_created: new Date(item.createdAt).toUTCString(),
        uri: `${new URL(mediaUrl(item)).pathname}.json`,
      });
      return;
    }
    const failure = pending.shift();
    if (failure === 'not-found' || failure === 'server-error') {
      report(failure);
      const status = failure === 'not-found' ? 404 : 500;
      sendJson(
        response,
        status,
        buildTwilioError(status, status === 404 ? 20404 : 20500, 'Injected failure'),
      );
      return;
    }
    if (failure === 'redirect-loop') {
      report('redirect-loop');
      redirect(response, `${deps.baseUrl()}/cdn/loop/0`);
      return;
    }
    const token = randomBytes(16).toString('hex');
    cdn.set(token, {
      mediaSid: item.mediaSid,
      expiresAt: deps.clock() + deps.cdnTtlMs,
      behaviour: failure ?? 'normal',
    });
    report('redirect');
    redirect(response, `${deps.baseUrl()}/cdn/${token}/${item.mediaSid}`);
  }

  function serveCdn(request: SimRequest, response: ServerResponse, match: RegExpExecArray): void {
    const [, token = '', second = ''] = match;
    const authorization = request.headers.authorization !== undefined;
    if (authorization) authorizationAtCdn = true;
    const report = (outcome: string): void =>
      deps.onMediaRequest({ path: request.pathname, authorization, outcome });
    if (token === 'loop') {
      report('redirect-loop');
      redirect(response, `${deps.baseUrl()}/cdn/loop/${second === '0' ? '1' : '0'}`);
      return;
    }
    const entry = cdn.get(token);
    const item = entry ? media.get(entry.mediaSid) : undefined;
    if (!entry || !item || entry.mediaSid !== second || deps.clock() >= entry.expiresAt) {
      report(entry ? 'expired' : 'unknown');
      sendText(
        response,
        403,
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
        'application/xml',
      );
      return;
    }
    report(entry.behaviour);
    const headers = {
      'content-type': item.contentType,
      'content-length': String(item.bytes.length),
      'cache-control': 'private, max-age=14400',
    };
    if (request.method === 'HEAD') {
      response.writeHead(200, headers);
      response.end();
      return;
    }
    if (entry.behaviour === 'overlong-body') {
      writeOverlongBody(response, item);
      return;
    }
    response.writeHead(200, headers);
    if (entry.behaviour === 'slow-drip') {
      drip(response, item.bytes, deps.drip);
      return;
    }
    response.end(item.bytes);
  }

  return {
    add(messageSid, input) {
      const item: StoredMedia = {
        messageSid,
        mediaSid: newTwilioSid('ME'),
        bytes: Buffer.from(input.bytes),
        contentType: input.contentType,
        createdAt: deps.clock(),
      };
      media.set(item.mediaSid, item);
      return { mediaSid: item.mediaSid, url: mediaUrl(item) };
    },
    handle(request, response) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const mediaMatch = MEDIA_PATH.exec(request.pathname);
      if (mediaMatch) {
        serveMediaResource(request, response, mediaMatch);
        return true;
      }
      const cdnMatch = CDN_PATH.exec(request.pathname);
      if (cdnMatch) {
        serveCdn(request, response, cdnMatch);
        return true;
      }
      return false;
    },
    failNext(kind) {
      pending.push(kind);
    },
    expireCdnUrls() {
      for (const entry of cdn.values()) entry.expiresAt = Number.NEGATIVE_INFINITY;
    },
    cdnSawAuthorization: () => authorizationAtCdn,
  };
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'content-length': '0' });
  response.end();
}

/** Sends the bytes a few at a time so a client without a deadline waits a very long time. */
function drip(
  response: ServerResponse,
  bytes: Buffer,
  options: { chunkBytes: number; intervalMs: number },
): void {
  let offset = 0;
  const timer = setInterval(() => {
    if (offset >= bytes.length) {
      clearInterval(timer);
      response.end();
      return;
    }
    response.write(bytes.subarray(offset, offset + options.chunkBytes));
    offset += options.chunkBytes;
  }, options.intervalMs);
  response.on('close', () => clearInterval(timer));
}

/** Declares half the length and writes all of the bytes, straight onto the socket. */
function writeOverlongBody(response: ServerResponse, item: StoredMedia): void {
  const socket = response.socket;
  if (!socket) return;
  const declared = Math.max(1, Math.floor(item.bytes.length / 2));
  const head =
    `HTTP/1.1 200 OK\r\ncontent-type: ${item.contentType}\r\ncontent-length: ${declared}\r\n` +
    'connection: close\r\n\r\n';
  socket.write(head);
  socket.end(item.bytes);
}
