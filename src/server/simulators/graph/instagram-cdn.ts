// Instagram's attachment CDN: unauthenticated signed URLs that lapse on a schedule the test
// controls, and that can be made to answer 403, an HTML page, or an endless body.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendText } from '../shared/loopback-server.js';
import { essence } from '../shared/sniff-media-type.js';

export type InstagramCdnBehaviour = 'ok' | 'forbidden' | 'html' | 'huge';

export interface InstagramCdnItem {
  id: string;
  url: string;
  bytes: Buffer;
  contentType: string;
  expiresAt: number;
  behaviour: InstagramCdnBehaviour;
  /** How many bytes a `huge` answer streams (default 256 MB), without Content-Length. */
  hugeBytes: number;
}

export interface InstagramCdnInput {
  bytes: Uint8Array;
  contentType: string;
  expiresInMs?: number;
  behaviour?: InstagramCdnBehaviour;
  hugeBytes?: number;
}

export interface InstagramCdn {
  add(input: InstagramCdnInput): InstagramCdnItem;
  find(urlOrId: string): InstagramCdnItem | undefined;
  handle(request: SimRequest, response: ServerResponse): boolean;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'application/pdf': 'pdf',
};

const LOGIN_PAGE =
  '<!DOCTYPE html><html lang="en"><head><title>Instagram</title></head><body><p>Log in to continue.</p></body></html>';

export function createInstagramCdn(deps: {
  baseUrl: () => string;
  clock: () => number;
  defaultTtlMs: number;
}): InstagramCdn {
  const items = new Map<string, InstagramCdnItem>();
  const byUrl = new Map<string, InstagramCdnItem>();

  return {
    add(input) {
      const id = randomBytes(10).toString('hex');
      const expiresAt = deps.clock() + (input.expiresInMs ?? deps.defaultTtlMs);
      const ext = EXTENSIONS[essence(input.contentType)] ?? 'bin';
      const url =
        `${deps.baseUrl()}/ig-cdn/v/t51.29350-15/${id}_n.${ext}` +
        `?_nc_cat=1&oh=${randomBytes(16).toString('hex')}&oe=${Math.floor(expiresAt / 1000)
          .toString(16)
          .toUpperCase()}`;
      const item: InstagramCdnItem = {
        id,
        url,
        bytes: Buffer.from(input.bytes),
        contentType: input.contentType,
        expiresAt,
        behaviour: input.behaviour ?? 'ok',
        hugeBytes: input.hugeBytes ?? 256 * 1024 * 1024,
      };
      items.set(id, item);
      byUrl.set(url, item);
      return item;
    },
    find: (urlOrId) => items.get(urlOrId) ?? byUrl.get(urlOrId),
    handle(request, response) {
      const match = /^\/ig-cdn\/v\/[^/]+\/([0-9a-f]+)_n\.\w+$/.exec(request.pathname);
      if (!match || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
      const item = items.get(match[1] ?? '');
      if (!item || item.behaviour === 'forbidden') {
        sendText(response, 403, 'Bad URL hash');
        return true;
      }
      if (deps.clock() >= item.expiresAt) {
        sendText(response, 403, 'URL signature expired');
        return true;
      }
      if (item.behaviour === 'html') {
        sendText(response, 200, LOGIN_PAGE, 'text/html');
        return true;
      }
      if (item.behaviour === 'huge') {
        response.writeHead(200, { 'content-type': item.contentType });
        if (request.method === 'HEAD') response.end();
        else streamZeros(response, item.bytes, item.hugeBytes);
        return true;
      }
      response.writeHead(200, {
        'content-type': item.contentType,
        'content-length': String(item.bytes.length),
      });
      response.end(request.method === 'HEAD' ? undefined : item.bytes);
      return true;
    },
  };
}

/** Streams the item's bytes, then zeros, up to `total` bytes, respecting backpressure. */
function streamZeros(response: ServerResponse, head: Buffer, total: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const piece =
        sent === 0 && head.length > 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      if (!response.write(piece)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  response.on('close', () => {
    sent = total;
  });
  pump();
}
