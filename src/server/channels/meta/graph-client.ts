// A small client for Meta's Graph API, shared by the WhatsApp and Instagram channels: JSON
// GET/POST and multipart uploads with the Bearer token, a deadline on every call, Graph error
// bodies turned into `GraphApiError`, and media downloads that only ever carry the token to
// Meta's own hosts (or the configured base, e.g. the simulator).
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { graphErrorSchema } from './graph-error.js';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;

/** Hosts Meta serves API answers and media from; the token may be sent to these over HTTPS. */
const META_HOST_SUFFIXES = ['.facebook.com', '.fbsbx.com', '.fbcdn.net', '.whatsapp.net', '.instagram.com'];

export interface GraphClientOptions {
  baseUrl?: string | undefined;
  version?: string | undefined;
  accessToken: string;
  timeoutMs?: number;
}

/** A refusal answered by the Graph API in its own error shape. */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode?: number,
    readonly details?: string,
    readonly transient?: boolean,
    readonly fbtraceId?: string,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

/** The API could not be reached, or answered something that is not the Graph API's. */
export class GraphTransportError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphTransportError';
  }
}

export interface GraphDownload {
  status: number;
  contentType: string | undefined;
  contentLength: number | undefined;
  stream: Readable;
}

export interface GraphClient {
  /** `baseUrl/version`, the prefix of every API path. */
  readonly graphUrl: string;
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  postJson<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  postForm<T>(path: string, form: FormData, schema: z.ZodType<T>): Promise<T>;
  /**
   * Opens a media URL. With `auth`, the token goes only to Meta's hosts or the configured base
   * host, and never across a redirect to another host. Non-2xx answers are returned, not thrown.
   */
  download(url: string, options: { auth: boolean; signal?: AbortSignal }): Promise<GraphDownload>;
}

export function graphBaseOf(config: { graphBaseUrl?: string | undefined }): string {
  return (config.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
}

/** Whether a bearer token may be sent to `target`, given the configured API base. */
export function mayCarryToken(target: URL, base: URL): boolean {
  if (target.origin === base.origin) return true;
  if (target.protocol !== 'https:') return false;
  const host = target.hostname.toLowerCase();
  return META_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) || host === suffix.slice(1));
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function readGraphAnswer<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new GraphTransportError(
      `${what} answered HTTP ${response.status} with a body that is not JSON.`,
      response.status,
    );
  }
  const failure = graphErrorSchema.safeParse(body);
  if (failure.success) {
    const error = failure.data.error;
    throw new GraphApiError(
      response.status,
      error.code,
      error.error_user_msg ?? error.message,
      error.error_subcode,
      error.error_data?.details,
      error.is_transient,
      error.fbtrace_id,
    );
  }
  if (!response.ok)
    throw new GraphTransportError(`${what} answered HTTP ${response.status}.`, response.status);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new GraphTransportError(
      `${what} answered in an unexpected shape (${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message}).`,
      response.status,
    );
  }
  return parsed.data;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = graphBaseOf({ graphBaseUrl: options.baseUrl });
  const graphUrl = `${base}/${options.version ?? DEFAULT_GRAPH_VERSION}`;
  const baseUrl = new URL(base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = { authorization: `Bearer ${options.accessToken}` };

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: { json: unknown } | { form: FormData },
  ): Promise<T> {
    const url = `${graphUrl}/${path.replace(/^\/+/, '')}`;
    const headers: Record<string, string> = { ...auth, accept: 'application/json' };
    let payload: RequestInit['body'];
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      payload = body.form;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
        ...(payload === undefined ? {} : { body: payload }),
      });
    } catch (error) {
      throw new GraphTransportError(`The Graph API could not be reached: ${describe(error)}.`);
    }
    return readGraphAnswer(response, schema, 'The Graph API');
  }

  async function download(
    url: string,
    downloadOptions: { auth: boolean; signal?: AbortSignal },
  ): Promise<GraphDownload> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new GraphTransportError('The media URL is not a valid URL.');
    }
    const signal = downloadOptions.signal ?? AbortSignal.timeout(timeoutMs);
    let sendToken = downloadOptions.auth;
    if (sendToken && !mayCarryToken(target, baseUrl)) {
      throw new GraphTransportError(`The media URL points at ${target.host}, which is not a Meta host.`);
    }
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!['http:', 'https:'].includes(target.protocol))
        throw new GraphTransportError('The media URL is not an HTTP URL.');
      let response: Response;
      try {
        response = await fetch(target, {
          headers: sendToken ? auth : {},
          redirect: 'manual',
          signal,
        });
      } catch (error) {
        throw new GraphTransportError(`The media host could not be reached: ${describe(error)}.`);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => undefined);
        const next = new URL(location, target);
        if (next.origin !== target.origin) sendToken = false;
        target = next;
        continue;
      }
      const length = response.headers.get('content-length');
      const stream = response.body ? Readable.fromWeb(response.body as WebReadableStream) : Readable.from([]);
      // A connection cut before the consumer attaches must not surface as an uncaught error;
      // the stream stays errored, and the consumer's pipeline still sees the failure.
      stream.on('error', () => undefined);
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        contentLength: length && /^\d+$/.test(length) ? Number(length) : undefined,
        stream,
      };
    }
    throw new GraphTransportError('The media URL redirected too many times.');
  }

  return {
    graphUrl,
    get: (path, schema) => call('GET', path, schema),
    postJson: (path, body, schema) => call('POST', path, schema, { json: body }),
    postForm: (path, form, schema) => call('POST', path, schema, { form }),
    download,
  };
}
