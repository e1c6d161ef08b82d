// The one way the agent app talks to the server: JSON over fetch with the session cookie and
// the CSRF header on writes, and uploads over XMLHttpRequest for their progress events.
import type { Attachment } from '../../shared/api-schemas.js';

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in request (the session ended). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

function errorBodyOf(value: unknown, status: number): ApiErrorBody {
  if (value && typeof value === 'object' && 'error' in value) {
    const error = (value as { error: unknown }).error;
    if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
      const { code, message, details } = error as { code: unknown; message: unknown; details?: unknown };
      return {
        code: String(code),
        message: String(message),
        ...(details && typeof details === 'object' ? { details: details as Record<string, unknown> } : {}),
      };
    }
  }
  return { code: status >= 500 ? 'server_error' : 'request_failed', message: `HTTP ${status}` };
}

const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Lists carry the event position they reflect (x-last-event-id). Before the socket exists the
 * oldest one is kept for it to resume from; afterwards each is handed to the socket, which
 * replays from it if it is already further on.
 */
let earliestEventId: number | null = null;
let positionListener: ((id: number) => void) | null = null;

export function takeEarliestEventId(): number | null {
  const id = earliestEventId;
  earliestEventId = null;
  return id;
}

export function setEventPositionListener(listener: ((id: number) => void) | null): void {
  positionListener = listener;
}

function noteEventPosition(response: Response): void {
  const header = response.headers.get('x-last-event-id');
  const id = header === null ? Number.NaN : Number(header);
  if (!Number.isFinite(id)) return;
  if (positionListener) positionListener(id);
  else if (earliestEventId === null || id < earliestEventId) earliestEventId = id;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken && writeMethods.has(method)) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, { code: 'network', message: 'The server could not be reached.' });
  }
  if (response.status === 204) return undefined as T;
  if (response.ok) noteEventPosition(response);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/session' && path !== '/api/me') onUnauthorized?.();
    throw new ApiError(response.status, errorBodyOf(parsed, response.status));
  }
  return parsed as T;
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);

export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface UploadHandle {
  promise: Promise<Attachment>;
  abort(): void;
}

/** Uploads one file, reporting progress from 0 to 1. */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Attachment>((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.open('POST', '/api/uploads');
    xhr.withCredentials = true;
    xhr.responseType = 'json';
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status === 201 && body && typeof body === 'object' && 'attachments' in body) {
        const [attachment] = (body as { attachments: Attachment[] }).attachments;
        if (attachment) {
          onProgress(1);
          resolve(attachment);
          return;
        }
      }
      reject(new ApiError(xhr.status, errorBodyOf(body, xhr.status)));
    };
    xhr.onerror = () => reject(new ApiError(0, { code: 'network', message: 'The upload was interrupted.' }));
    xhr.onabort = () => reject(new ApiError(0, { code: 'aborted', message: 'The upload was cancelled.' }));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
