// The visitor API as the widget calls it: JSON with the visitor token in a header, and uploads
// through XMLHttpRequest, the one browser API that reports upload progress.
import type {
  MessagePage,
  NewVisitorResponse,
  Visitor,
  VisitorAttachment,
  VisitorMessage,
  WidgetConfig,
} from '../shared/webchat-api.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface VisitorApi {
  readonly base: string;
  token: string | null;
  config(): Promise<WidgetConfig>;
  start(details?: { locale?: string }): Promise<NewVisitorResponse>;
  messages(before?: string): Promise<MessagePage>;
  send(input: { clientId: string; text: string; attachmentIds: string[] }): Promise<VisitorMessage>;
  upload(file: File, onProgress: (fraction: number) => void): Promise<VisitorAttachment>;
  attachment(id: string): Promise<VisitorAttachment>;
  read(messageId: string): Promise<void>;
  updateVisitor(details: { name?: string; email?: string }): Promise<Visitor>;
  socketUrl(since: number | null): string;
}

function errorFrom(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new ApiError(status, body.error?.code ?? 'error', body.error?.message ?? `HTTP ${status}`);
  } catch {
    return new ApiError(status, status === 0 ? 'network' : 'error', `HTTP ${status}`);
  }
}

export function createApi(server: string, channelId: string): VisitorApi {
  const base = `${server}/api/widget/${encodeURIComponent(channelId)}`;
  const api: VisitorApi = {
    base,
    token: null,
    async config() {
      return call<WidgetConfig>('GET', '/config');
    },
    start(details = {}) {
      return call<NewVisitorResponse>('POST', '/visitors', details);
    },
    messages(before) {
      return call<MessagePage>('GET', `/messages${before ? `?before=${encodeURIComponent(before)}` : ''}`);
    },
    send(input) {
      return call<VisitorMessage>('POST', '/messages', input);
    },
    attachment(id) {
      return call<VisitorAttachment>('GET', `/attachments/${encodeURIComponent(id)}`);
    },
    async read(messageId) {
      await call('POST', '/read', { messageId });
    },
    updateVisitor(details) {
      return call<Visitor>('PATCH', '/visitor', details);
    },
    upload(file, onProgress) {
      return new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('POST', `${base}/uploads`);
        if (api.token) request.setRequestHeader('x-visitor-token', api.token);
        request.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        };
        request.onload = () => {
          if (request.status === 201) {
            const body = JSON.parse(request.responseText) as { attachments: VisitorAttachment[] };
            const [attachment] = body.attachments;
            if (attachment) resolve(attachment);
            else reject(new ApiError(500, 'error', 'empty upload answer'));
          } else reject(errorFrom(request.status, request.responseText));
        };
        request.onerror = () => reject(new ApiError(0, 'network', 'network error'));
        const form = new FormData();
        form.append('file', file, file.name || 'pasted-image.png');
        request.send(form);
      });
    },
    socketUrl(since) {
      return `${base.replace(/^http/, 'ws')}/ws${since !== null ? `?since=${since}` : ''}`;
    },
  };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (api.token) headers['x-visitor-token'] = api.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(0, 'network', 'network error');
    }
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return api;
}
