// The Graph API simulator (WhatsApp + Instagram) for tests, plus helpers to check what it
// signed and to answer Meta's verification GET like our endpoint should.
import { verifyHubSignature } from '../../src/server/channels/meta/hub-signature.js';
import type { StubAnswer, StubRequest } from './http-stub.js';

export * from '../../src/server/simulators/fake-graph.js';

/** Whether a delivery received by a stub carries a valid X-Hub-Signature-256 over its raw bytes. */
export function hasValidHubSignature(request: StubRequest, appSecret: string): boolean {
  const header = request.headers['x-hub-signature-256'];
  return verifyHubSignature(request.body, typeof header === 'string' ? header : undefined, appSecret);
}

export const jsonBody = (request: StubRequest): unknown => JSON.parse(request.body.toString('utf8'));

/** A stub responder that answers Meta's verification GET and accepts POSTs with 200. */
export function metaEndpoint(verifyToken: string): (request: StubRequest) => StubAnswer {
  return (request) => {
    if (request.method !== 'GET') return { status: 200, body: 'EVENT_RECEIVED' };
    const query = new URL(request.path, 'http://x').searchParams;
    if (query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === verifyToken) {
      return { status: 200, body: query.get('hub.challenge') ?? '' };
    }
    return { status: 403, body: 'Forbidden' };
  };
}

/** Bearer header for the simulator's access token. */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });
