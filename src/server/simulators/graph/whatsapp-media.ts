// WhatsApp media on the simulated Graph API: a registry of media ids, the two-step download
// (`GET /{version}/{media-id}` → short-lived URL, both with Bearer), uploads, and controls to
// make a download misbehave.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { graphErrorCodes } from '../../channels/meta/graph-error.js';
import type { SimRequest } from '../shared/loopback-server.js';
import { sendJson, sendText } from '../shared/loopback-server.js';
import type { GraphFailure, TokenState } from './graph-reply.js';
import { checkToken, requestToken, sendGraphError, unknownObject } from './graph-reply.js';
import { checkWhatsAppMedia } from './whatsapp-media-check.js';

export interface WhatsAppMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256Hex: string;
  sha256Base64: string;
  source: 'inbound' | 'upload';
  createdAt: number;
}

interface MediaFaults {
  fileSize?: number | string;
  missing?: boolean;
  expireMidDownload?: boolean;
}

export interface WhatsAppMediaDeps {
  baseUrl: () => string;
  clock: () => number;
  /** Lifetime of a download URL (Meta: about 5 minutes). */
  urlTtlMs: number;
  token: TokenState;
}

export interface WhatsAppMediaStore {
  add(bytes: Uint8Array, mimeType: string, source: WhatsAppMedia['source']): WhatsAppMedia;
  get(id: string): WhatsAppMedia | undefined;
  all(): WhatsAppMedia[];
  /** GET (metadata) or DELETE of `/{version}/{media-id}`. */
  handleObject(request: SimRequest, response: ServerResponse, id: string): void;
  handleDownload(request: SimRequest, response: ServerResponse): boolean;
  handleUpload(request: SimRequest, response: ServerResponse): Promise<void>;
  faults: {
    lieAboutFileSize(id: string, value: number | string): void;
    failMediaId(id: string): void;
    expireMidDownload(id: string): void;
    expireUrls(): void;
    /** Every upload is refused with this failure until cleared with null. */
    rejectUploads(failure: GraphFailure | null): void;
  };
}

const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

const uploadError = (details: string, code: number = graphErrorCodes.mediaUploadError): GraphFailure => ({
  status: 400,
  error: {
    message:
      code === graphErrorCodes.mediaUploadError ? '(#131053) Media upload error' : '(#100) Invalid parameter',
    code,
    details,
    messagingProduct: 'whatsapp',
  },
});

export function createWhatsAppMediaStore(deps: WhatsAppMediaDeps): WhatsAppMediaStore {
  const media = new Map<string, WhatsAppMedia>();
  const faults = new Map<string, MediaFaults>();
  const urls = new Map<string, { mediaId: string; expiresAt: number }>();
  let uploadFailure: GraphFailure | null = null;
  const faultsOf = (id: string): MediaFaults => {
    const existing = faults.get(id);
    if (existing) return existing;
    const created: MediaFaults = {};
    faults.set(id, created);
    return created;
  };

  function add(bytes: Uint8Array, mimeType: string, source: WhatsAppMedia['source']): WhatsAppMedia {
    const buffer = Buffer.from(bytes);
    const digest = createHash('sha256').update(buffer).digest();
    const item: WhatsAppMedia = {
      id: String(10n ** 15n + BigInt(`0x${randomBytes(6).toString('hex')}`)),
      bytes: buffer,
      mimeType,
      sha256Hex: digest.toString('hex'),
      sha256Base64: digest.toString('base64'),
      source,
      createdAt: deps.clock(),
    };
    media.set(item.id, item);
    return item;
  }

  function handleObject(request: SimRequest, response: ServerResponse, id: string): void {
    const denied = checkToken(request, deps.token, 'whatsapp');
    if (denied) return sendGraphError(response, denied);
    const item = media.get(id);
    if (!item || faults.get(id)?.missing) return sendGraphError(response, unknownObject(id));
    if (request.method === 'DELETE') {
      media.delete(id);
      return sendJson(response, 200, { success: true });
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = deps.clock() + deps.urlTtlMs;
    urls.set(token, { mediaId: id, expiresAt });
    const url = `${deps.baseUrl()}${DOWNLOAD_PATH}?mid=${id}&ext=${Math.floor(expiresAt / 1000)}&hash=${token}`;
    sendJson(response, 200, {
      url,
      mime_type: item.mimeType,
      sha256: item.sha256Hex,
      file_size: faults.get(id)?.fileSize ?? item.bytes.length,
      id: item.id,
      messaging_product: 'whatsapp',
    });
  }

  function handleDownload(request: SimRequest, response: ServerResponse): boolean {
    if (request.pathname !== DOWNLOAD_PATH || (request.method !== 'GET' && request.method !== 'HEAD'))
      return false;
    const token = requestToken(request);
    if (!token || token !== deps.token.accessToken || deps.token.expired) {
      sendText(response, 401, 'Unauthorized');
      return true;
    }
    const entry = urls.get(request.query.get('hash') ?? '');
    const item = entry ? media.get(entry.mediaId) : undefined;
    if (!entry || !item || deps.clock() >= entry.expiresAt) {
      sendText(response, 404, 'URL signature expired');
      return true;
    }
    const headers = {
      'content-type': item.mimeType,
      'content-length': String(item.bytes.length),
      'content-disposition': 'inline',
    };
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    const itemFaults = faults.get(item.id);
    if (itemFaults?.expireMidDownload) {
      itemFaults.expireMidDownload = false;
      entry.expiresAt = Number.NEGATIVE_INFINITY;
      response.write(item.bytes.subarray(0, Math.floor(item.bytes.length / 2)), () => response.destroy());
      return true;
    }
    response.end(item.bytes);
    return true;
  }

  async function handleUpload(request: SimRequest, response: ServerResponse): Promise<void> {
    const denied = checkToken(request, deps.token, 'whatsapp');
    if (denied) return sendGraphError(response, denied);
    if (uploadFailure) return sendGraphError(response, uploadFailure);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(request.body), {
        headers: { 'content-type': request.headers['content-type'] ?? '' },
      }).formData();
    } catch {
      return sendGraphError(response, uploadError('The request is not multipart/form-data.', 100));
    }
    if (form.get('messaging_product') !== 'whatsapp') {
      return sendGraphError(response, uploadError('The parameter messaging_product is required.', 100));
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') {
      return sendGraphError(response, uploadError('The parameter file is required.', 100));
    }
    const declared = form.get('type');
    if (typeof declared !== 'string' || !declared) {
      return sendGraphError(response, uploadError('The parameter type is required.', 100));
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const check = await checkWhatsAppMedia(bytes, declared);
    if (!check.ok) {
      return sendGraphError(
        response,
        uploadError(
          check.details,
          check.reason === 'unsupported-type' ? 100 : graphErrorCodes.mediaUploadError,
        ),
      );
    }
    sendJson(response, 200, { id: add(bytes, check.mimeType, 'upload').id });
  }

  return {
    add,
    get: (id) => (faults.get(id)?.missing ? undefined : media.get(id)),
    all: () => [...media.values()],
    handleObject,
    handleDownload,
    handleUpload,
    faults: {
      lieAboutFileSize: (id, value) => {
        faultsOf(id).fileSize = value;
      },
      failMediaId: (id) => {
        faultsOf(id).missing = true;
      },
      expireMidDownload: (id) => {
        faultsOf(id).expireMidDownload = true;
      },
      expireUrls: () => {
        for (const entry of urls.values()) entry.expiresAt = Number.NEGATIVE_INFINITY;
      },
      rejectUploads: (failure) => {
        uploadFailure = failure;
      },
    },
  };
}
