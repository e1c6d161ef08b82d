// Twilio's side of an outbound MMS: fetch each MediaUrl with HEAD and then GET, without
// credentials, and refuse what a real Twilio refuses (unreachable URL, Content-Type that
// differs between HEAD and GET or from the bytes, more than 5 MB in total).
import { twilioErrorCodes } from '../../channels/twilio/twilio-error.js';
import { providerFetch } from '../shared/provider-fetch.js';
import type { ProviderFetchResult } from '../shared/provider-fetch.js';
import { bytesMatchDeclaredType, essence } from '../shared/sniff-media-type.js';
import type { TwilioFetchedMedia } from './twilio-types.js';

export interface TwilioMediaFailureResult {
  errorCode: number;
  message: string;
}

export interface OutboundMediaOptions {
  timeoutMs: number;
  maxTotalBytes: number;
}

function fetchFailure(
  result: Extract<ProviderFetchResult, { ok: false }>,
  url: string,
): TwilioMediaFailureResult {
  if (result.reason === 'http-status') {
    return {
      errorCode: twilioErrorCodes.fetchFailed,
      message: `HTTP retrieval failure: ${url} answered ${result.status}`,
    };
  }
  return {
    errorCode: twilioErrorCodes.connectionFailed,
    message: `HTTP connection failure: ${url}: ${result.message}`,
  };
}

export async function fetchOutboundMedia(
  urls: readonly string[],
  options: OutboundMediaOptions,
): Promise<{ media: TwilioFetchedMedia[]; failure?: TwilioMediaFailureResult }> {
  const media: TwilioFetchedMedia[] = [];
  let total = 0;
  for (const url of urls) {
    const item: TwilioFetchedMedia = { url, head: {}, get: {} };
    media.push(item);
    const head = await providerFetch(url, { method: 'HEAD', timeoutMs: options.timeoutMs, maxBytes: 0 });
    item.head = head.ok
      ? { status: head.status, contentType: head.contentType, contentLength: head.contentLength }
      : { status: head.status, contentType: head.contentType, error: head.message };
    if (!head.ok) return { media, failure: fetchFailure(head, url) };

    const remaining = options.maxTotalBytes - total;
    const get = await providerFetch(url, {
      method: 'GET',
      timeoutMs: options.timeoutMs,
      maxBytes: remaining,
    });
    item.get = get.ok
      ? { status: get.status, contentType: get.contentType, contentLength: get.contentLength }
      : { status: get.status, contentType: get.contentType, error: get.message };
    if (!get.ok) {
      if (get.reason === 'too-large') {
        return {
          media,
          failure: {
            errorCode: twilioErrorCodes.mediaTooLarge,
            message: 'Media exceeds the 5 MB message size limit',
          },
        };
      }
      return { media, failure: fetchFailure(get, url) };
    }
    item.bytes = get.bytes;
    total += get.bytes.length;

    const declared = essence(get.contentType);
    if (!declared || essence(head.contentType) !== declared) {
      return {
        media,
        failure: {
          errorCode: twilioErrorCodes.invalidContentType,
          message: `Invalid Content-Type: HEAD said "${head.contentType}", GET said "${get.contentType}"`,
        },
      };
    }
    const check = await bytesMatchDeclaredType(get.bytes, declared);
    if (check.sniffed) item.sniffedType = check.sniffed;
    if (!check.ok) {
      return {
        media,
        failure: {
          errorCode: twilioErrorCodes.invalidContentType,
          message: `Invalid Content-Type: "${declared}" does not match the content (${check.sniffed ?? 'unrecognised'})`,
        },
      };
    }
  }
  return { media };
}

const TRANSCODED_IMAGES = new Set(['image/jpeg', 'image/png', 'image/gif']);

/** Media a carrier would refuse: anything Twilio passes through untouched above the limit. */
export function exceedsCarrierLimit(
  media: readonly TwilioFetchedMedia[],
  carrierMaxBytes: number | null,
): boolean {
  if (carrierMaxBytes === null) return false;
  return media.some(
    (item) =>
      !TRANSCODED_IMAGES.has(essence(item.get.contentType)) && (item.bytes?.length ?? 0) > carrierMaxBytes,
  );
}
