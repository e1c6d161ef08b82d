// Downloads one inbound MMS item. The first request goes to Twilio's API with HTTP Basic auth;
// every redirect after it (to Twilio's CDN) is followed without credentials. Loops, endless
// redirects, stalls, a slow drip and a body longer than its Content-Length all end the
// download with a reason instead of hanging or storing a damaged file. Node's own HTTP client
// is used because it reports bytes sent after the declared length, which fetch() hides.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PassThrough } from 'node:stream';
import { PermanentJobError } from '../../infra/queue/job.js';
import type { FetchedMedia } from '../adapter.js';

export interface MediaDownloadOptions {
  /** Deadline for each answer's headers. */
  headersTimeoutMs: number;
  /** Longest pause allowed between two pieces of the body. */
  idleTimeoutMs: number;
  /** Deadline for the whole body (a slow drip ends here). */
  bodyTimeoutMs: number;
  maxRedirects: number;
}

export const defaultMediaDownload: MediaDownloadOptions = {
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  bodyTimeoutMs: 10 * 60_000,
  maxRedirects: 5,
};

/** A failure worth another try (the queue retries it with backoff). */
export class MediaDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}

const describe = (error: unknown): string =>
  error instanceof Error
    ? `${error.message}${'code' in error && typeof error.code === 'string' ? ` (${error.code})` : ''}`
    : String(error);

/**
 * Counts the bytes that arrive on the connection. Node's HTTP parser stops at Content-Length
 * and may drop whatever follows in the same packet, so the surplus is measured here.
 */
interface WireMeter {
  /** Bytes received after the end of the response head. */
  bodyBytes(): number;
}

function meterSocket(request: ClientRequest): WireMeter {
  let total = 0;
  let headEnd = -1;
  let head = Buffer.alloc(0);
  request.once('socket', (socket) => {
    socket.on('data', (chunk: Buffer) => {
      if (headEnd < 0 && head.length < 65_536) {
        head = Buffer.concat([head, chunk.subarray(0, 65_536)]);
        const at = head.indexOf('\r\n\r\n');
        if (at >= 0) headEnd = at + 4;
      }
      total += chunk.length;
    });
  });
  return { bodyBytes: () => (headEnd < 0 ? 0 : total - headEnd) };
}

function open(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ request: ClientRequest; response: IncomingMessage; wire: WireMeter }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'GET', headers, agent: false });
    const wire = meterSocket(request);
    const timer = setTimeout(() => {
      request.destroy(new MediaDownloadError(`${url.host} did not answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve({ request, response, wire });
    });
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof MediaDownloadError
          ? error
          : new MediaDownloadError(`${url.host}: ${describe(error)}`),
      );
    });
    request.end();
  });
}

function numberHeader(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** Streams the body, and fails it if it stalls, drips past the deadline or overruns its length. */
function streamBody(
  { request, response, wire }: { request: ClientRequest; response: IncomingMessage; wire: WireMeter },
  declared: number | undefined,
  options: MediaDownloadOptions,
): PassThrough {
  // Over TLS the wire carries records, not the body: the surplus check applies to plain HTTP
  // (the parser's own "data after close" error covers most TLS cases).
  const plain = !(request.socket && 'encrypted' in request.socket);
  const framed = declared !== undefined && response.headers['transfer-encoding'] === undefined;
  const out = new PassThrough();
  let received = 0;
  let done = false;
  let idle: NodeJS.Timeout | undefined;
  const stopTimers = (): void => {
    clearTimeout(idle);
    clearTimeout(deadline);
  };
  const fail = (reason: string): void => {
    if (done) return;
    done = true;
    stopTimers();
    out.destroy(new MediaDownloadError(reason));
    response.destroy();
    request.destroy();
  };
  const armIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(
      () => fail(`The file server stopped sending for ${options.idleTimeoutMs / 1000} s.`),
      options.idleTimeoutMs,
    );
  };
  const deadline = setTimeout(
    () =>
      fail(`The file did not arrive within ${options.bodyTimeoutMs / 1000} s (the transfer was too slow).`),
    options.bodyTimeoutMs,
  );
  armIdle();
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    armIdle();
    if (declared !== undefined && received > declared) {
      fail(`The file server sent more than the ${declared} bytes it announced.`);
      return;
    }
    if (!out.write(chunk)) response.pause();
  });
  out.on('drain', () => response.resume());
  response.on('error', (error) => fail(`The download broke off: ${describe(error)}`));
  request.on('error', (error) => {
    const extra = 'code' in error && error.code === 'HPE_CLOSED_CONNECTION';
    fail(
      extra
        ? 'The file server sent more bytes than it announced.'
        : `The download broke off: ${describe(error)}`,
    );
  });
  // The end is declared only once the body has been read and the connection has closed
  // cleanly, so bytes that arrive after the announced length are still noticed.
  let ended = false;
  let closed = false;
  const finish = (): void => {
    if (done || !ended || !closed) return;
    if (declared !== undefined && received !== declared) {
      fail(`The connection closed after ${received} of ${declared} bytes.`);
      return;
    }
    if (plain && framed && wire.bodyBytes() > (declared ?? 0)) {
      fail(`The file server sent more bytes (${wire.bodyBytes()}) than it announced (${declared}).`);
      return;
    }
    done = true;
    stopTimers();
    out.end();
  };
  response.on('end', () => {
    ended = true;
    finish();
  });
  request.on('close', () => {
    if (!response.complete) {
      fail(`The connection closed after ${received} of ${declared ?? 'the'} bytes.`);
      return;
    }
    closed = true;
    finish();
  });
  out.on('close', () => {
    if (!done) {
      done = true;
      stopTimers();
      request.destroy();
    }
  });
  return out;
}

function refuse(status: number, atApi: boolean, host: string): Error {
  if (atApi && (status === 401 || status === 403)) {
    return new PermanentJobError(
      "Twilio refused the channel's credentials for this file. An admin should check the Account SID and Auth Token.",
    );
  }
  if (status === 404 || status === 410) {
    return new PermanentJobError('Twilio no longer has this file (it was deleted, or the link is wrong).');
  }
  if (status === 403) return new MediaDownloadError(`The download link from ${host} expired (403).`);
  if (status === 429 || status >= 500) return new MediaDownloadError(`${host} answered ${status}.`);
  return new PermanentJobError(`Twilio's file server refused the download (HTTP ${status}).`);
}

/**
 * Opens an inbound media item. `authorization` is sent to `url` only; the caller has already
 * checked that `url` is the account's media address on the configured API host.
 */
export async function openTwilioMedia(
  url: string,
  authorization: string,
  options: MediaDownloadOptions = defaultMediaDownload,
): Promise<FetchedMedia> {
  let current = new URL(url);
  const visited = new Set([current.href]);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'Switchboard', accept: '*/*' };
    if (hop === 0) headers.authorization = authorization;
    const opened = await open(current, headers, options.headersTimeoutMs);
    const { request, response } = opened;
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      request.destroy();
      const location = response.headers.location;
      if (!location) throw new MediaDownloadError(`${current.host} redirected without a location.`);
      const next = new URL(location, current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new PermanentJobError(
          `Twilio redirected the download to an unsupported address (${next.protocol}).`,
        );
      }
      if (visited.has(next.href)) throw new MediaDownloadError('The download link redirects in a loop.');
      if (hop >= options.maxRedirects) {
        throw new MediaDownloadError(`The download link redirected more than ${options.maxRedirects} times.`);
      }
      visited.add(next.href);
      current = next;
      continue;
    }
    if (status < 200 || status > 299) {
      response.resume();
      request.destroy();
      throw refuse(status, hop === 0, current.host);
    }
    const declaredSize = numberHeader(response.headers['content-length']);
    const contentType = response.headers['content-type'];
    return {
      stream: streamBody(opened, declaredSize, options),
      ...(contentType ? { contentType } : {}),
      ...(declaredSize === undefined ? {} : { declaredSize }),
    };
  }
}
