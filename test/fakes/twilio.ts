// The Twilio simulator for tests, plus helpers to check what it signed.
import { verifyTwilioSignature } from '../../src/server/channels/twilio/twilio-signature.js';
import type { StubRequest } from './http-stub.js';
import { formFields } from './http-stub.js';

export * from '../../src/server/simulators/fake-twilio.js';
export { basicAuthHeader } from '../../src/server/simulators/twilio/twilio-basic-auth.js';

/** Whether a form POST received by a stub carries a valid X-Twilio-Signature for `url`. */
export function hasValidTwilioSignature(request: StubRequest, url: string, authToken: string): boolean {
  const header = request.headers['x-twilio-signature'];
  return verifyTwilioSignature({
    url,
    params: formFields(request),
    authToken,
    signature: typeof header === 'string' ? header : undefined,
  });
}

/** The value of one form field of a received request. */
export const formField = (request: StubRequest, name: string): string | undefined =>
  new URLSearchParams(request.body.toString('utf8')).get(name) ?? undefined;
