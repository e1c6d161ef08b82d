// Fetches a URL the way a provider fetches media we host: no credentials, redirects
// followed, a deadline, and a byte cap so a huge or endless body cannot exhaust memory.

export interface ProviderFetchOptions {
  method?: 'GET' | 'HEAD';
  timeoutMs: number;
  /** Stop reading past this many bytes and report `too-large`. */
  maxBytes: number;
  headers?: Record<string, string>;
}

export type ProviderFetchResult =
  | { ok: true; status: number; contentType: string; contentLength: number | undefined; bytes: Buffer }
  | {
      ok: false;
      reason: 'http-status' | 'connection' | 'timeout' | 'too-large';
      status?: number;
      contentType?: string;
      message: string;
    };

function headerNumber(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

export async function providerFetch(
  url: string,
  options: ProviderFetchOptions,
): Promise<ProviderFetchResult> {
  const method = options.method ?? 'GET';
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { method, redirect: 'follow', signal, headers: options.headers ?? {} });
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      reason: timedOut ? 'timeout' : 'connection',
      message: timedOut ? `No answer within ${options.timeoutMs} ms` : describe(error),
    };
  }
  const contentType = response.headers.get('content-type') ?? '';
  const contentLength = headerNumber(response.headers.get('content-length'));
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      reason: 'http-status',
      status: response.status,
      contentType,
      message: `HTTP ${response.status}`,
    };
  }
  if (method === 'HEAD' || !response.body) {
    return { ok: true, status: response.status, contentType, contentLength, bytes: Buffer.alloc(0) };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return {
          ok: false,
          reason: 'too-large',
          status: response.status,
          contentType,
          message: `Body exceeds ${options.maxBytes} bytes`,
        };
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      reason: timedOut ? 'timeout' : 'connection',
      status: response.status,
      contentType,
      message: timedOut ? `Body not complete within ${options.timeoutMs} ms` : describe(error),
    };
  }
  return { ok: true, status: response.status, contentType, contentLength, bytes: Buffer.concat(chunks) };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
