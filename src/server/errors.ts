// One error type for the whole server. Every failure a caller can see carries a stable code
// (never renamed once published), an HTTP status chosen here and nowhere else, and a message
// that names the problem and, where it helps, what to do about it.

export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  empty_upload: 400,
  file_type_mismatch: 415,
  file_type_blocked: 415,
  file_corrupt: 422,
  image_too_large: 422,
  invalid_boxes: 422,
  unsupported_media: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  origin_not_allowed: 403,
  signature_invalid: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  channel_unavailable: 502,
  provider_error: 502,
  not_ready: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetails {
  field?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: ErrorDetails } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found.`);

/**
 * What was wrong with a field, for clients that word validation errors themselves
 * (`details.issue`): it was missing, it is not a field at all, or its value is not accepted.
 */
export type ValidationIssue = 'required' | 'unknown_field' | 'invalid';

export const validationIssue = (given: unknown): ValidationIssue =>
  given === undefined || given === null || (typeof given === 'string' && given.trim() === '')
    ? 'required'
    : 'invalid';

/** The value at a path of keys inside a request part (undefined when any step is missing). */
export function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[String(key)];
  }
  return value;
}
