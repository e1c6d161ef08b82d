// What WhatsApp and Instagram webhooks have in common: the verification GET Meta makes when
// the URL is registered, and POSTs signed with X-Hub-Signature-256 over the raw body bytes.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { WebhookOutcome, WebhookRequest } from '../adapter.js';
import { verifyHubSignature } from './hub-signature.js';

const MAX_CHALLENGE_LENGTH = 256;
const LATE_DELIVERY_MS = 60_000;

const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

/** `hub.challenge` echoed when the verify token matches, 403 otherwise. */
export function answerVerification(query: Record<string, string>, verifyToken: string): WebhookOutcome {
  const challenge = query['hub.challenge'] ?? '';
  const ok =
    query['hub.mode'] === 'subscribe' &&
    verifyToken.length > 0 &&
    sameSecret(query['hub.verify_token'] ?? '', verifyToken) &&
    challenge.length > 0 &&
    challenge.length <= MAX_CHALLENGE_LENGTH;
  return ok
    ? { response: { status: 200, contentType: 'text/plain', body: challenge }, events: [] }
    : {
        response: { status: 403, contentType: 'text/plain', body: 'The verify token does not match.' },
        events: [],
      };
}

/** Checks X-Hub-Signature-256 on the raw bytes, then parses them; throws before anything is stored. */
export function readSignedJson(request: WebhookRequest, appSecret: string): unknown {
  if (!verifyHubSignature(request.rawBody, request.headers['x-hub-signature-256'], appSecret)) {
    throw new AppError('signature_invalid', 'The X-Hub-Signature-256 header does not match the body.');
  }
  try {
    return JSON.parse(request.rawBody.toString('utf8')) as unknown;
  } catch {
    throw new AppError('invalid_json', 'The webhook body is not JSON.');
  }
}

/** The answer Meta expects to a delivery we accepted. */
export const accepted = { status: 200, contentType: 'text/plain', body: 'EVENT_RECEIVED' } as const;

/**
 * Live messages are dated on arrival (Meta's timestamps have one-second resolution, which
 * would misorder a quick exchange); a redelivery that comes late keeps the provider's time.
 */
export function receivedAt(sent: number | undefined, now: number): number {
  return sent !== undefined && now - sent > LATE_DELIVERY_MS ? sent : now;
}
