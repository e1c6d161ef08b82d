// Twilio's webhooks for one SMS channel: incoming messages at the channel's address, status
// callbacks at `…/status`. Both are verified against PUBLIC_URL + path with the account's
// auth token before anything is read; a webhook that fails is refused with 403 and nothing
// from it is stored or fetched.
import { AppError } from '../../errors.js';
import type { AdapterDeps, ChannelRecord, WebhookOutcome, WebhookRequest } from '../adapter.js';
import { verifyTwilioSignature } from '../twilio/twilio-signature.js';
import { smsConfigOf } from './sms-config.js';
import { InboundProblem, parseInboundMessage, parseStatusCallback } from './sms-inbound.js';

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = { status: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML };

export async function handleSmsWebhook(
  request: WebhookRequest,
  channel: ChannelRecord,
  deps: AdapterDeps,
  apiBaseUrl: () => Promise<string>,
): Promise<WebhookOutcome> {
  const log = deps.log.child({ channelId: channel.id, webhook: request.subPath || 'message' });
  if (request.subPath !== '' && request.subPath !== 'status') {
    throw new AppError('not_found', 'The SMS channel listens at its address and at …/status only.');
  }
  if (request.method !== 'POST') {
    throw new AppError('bad_request', 'Twilio posts its webhooks; nothing is served here.');
  }
  const config = smsConfigOf(channel);
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  const signature = request.headers['x-twilio-signature'];
  const valid = verifyTwilioSignature({
    url: request.publicUrl,
    params: [...form.entries()],
    authToken: config.authToken,
    signature,
  });
  if (!valid) {
    log.warn(
      {
        reason: signature ? 'signature does not match' : 'no X-Twilio-Signature header',
        url: request.publicUrl,
      },
      'Twilio webhook refused',
    );
    throw new AppError(
      'signature_invalid',
      'The X-Twilio-Signature does not match this channel. Check the Auth Token, and that PUBLIC_URL is the address Twilio calls.',
    );
  }
  try {
    if (request.subPath === 'status') {
      const event = parseStatusCallback(form);
      if (!event) {
        log.info({ status: form.get('MessageStatus') }, 'status callback with nothing to track; ignored');
        return { response: twiml, events: [] };
      }
      return { response: twiml, events: [event] };
    }
    const event = parseInboundMessage(form, {
      apiBaseUrl: await apiBaseUrl(),
      accountSid: config.accountSid,
      warn: (reason, details) => log.warn({ ...details, messageSid: form.get('MessageSid') }, reason),
    });
    return { response: twiml, events: [event] };
  } catch (error) {
    if (error instanceof InboundProblem) {
      log.warn({ reason: error.message }, 'Twilio webhook refused');
      throw new AppError('validation_failed', error.message);
    }
    throw error;
  }
}
