// What an SMTP relay's refusal means for a reply: a permanent 5xx fails it with the relay's own
// words, a 4xx or a lost connection is tried again, and a refused sign-in also marks the
// channel as needing attention.
import { ProviderError } from '../adapter.js';

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

const NETWORK = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
]);

export function smtpFailure(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape: SmtpErrorShape = typeof error === 'object' && error !== null ? (error as SmtpErrorShape) : {};
  const responseCode = typeof shape.responseCode === 'number' ? shape.responseCode : null;
  const response = typeof shape.response === 'string' ? shape.response.trim() : '';
  const detail = response || (typeof shape.message === 'string' ? shape.message : String(error));
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 534) {
    const reason = `The mail server refused the sign-in: ${detail}`;
    return new ProviderError('smtp_auth', reason, false, { health: 'needs_attention', reason });
  }
  if (responseCode !== null && responseCode >= 500) {
    return new ProviderError(`smtp_${responseCode}`, `The mail server refused the message: ${detail}`, false);
  }
  if (responseCode !== null && responseCode >= 400) {
    return new ProviderError(`smtp_${responseCode}`, `The mail server deferred the message: ${detail}`, true);
  }
  if (NETWORK.has(code) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(detail)) {
    return new ProviderError('smtp_unreachable', `The mail server could not be reached: ${detail}`, true);
  }
  return new ProviderError('smtp_error', `Sending failed: ${detail}`, true);
}
