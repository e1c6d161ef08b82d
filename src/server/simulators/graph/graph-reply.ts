// Graph API answers: the error shape shared by WhatsApp and Instagram, and the access-token
// check both products perform on every call.
import type { ServerResponse } from 'node:http';
import { buildGraphError, graphErrorCodes } from '../../channels/meta/graph-error.js';
import type { GraphErrorInput } from '../../channels/meta/graph-error.js';
import { sendJson } from '../shared/loopback-server.js';
import type { SimRequest } from '../shared/loopback-server.js';

export interface GraphFailure {
  status: number;
  error: GraphErrorInput;
}

export function sendGraphError(response: ServerResponse, failure: GraphFailure): void {
  response.setHeader('www-authenticate', 'OAuth "Facebook Platform" "invalid_request"');
  sendJson(response, failure.status, buildGraphError(failure.error));
}

export const invalidParameter = (
  details: string,
  product: 'whatsapp' | 'instagram',
  message?: string,
): GraphFailure => ({
  status: 400,
  error: {
    message: message ?? '(#100) Invalid parameter',
    code: graphErrorCodes.invalidParameter,
    details,
    messagingProduct: product,
    fbtraceId: undefined,
  },
});

export const unknownObject = (id: string): GraphFailure => ({
  status: 400,
  error: {
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    type: 'GraphMethodException',
    code: graphErrorCodes.invalidParameter,
    subcode: graphErrorCodes.unknownObjectSubcode,
  },
});

export interface TokenState {
  accessToken: string;
  expired: boolean;
}

/** The bearer token of a request, from the Authorization header or `access_token`. */
export function requestToken(request: SimRequest): string | undefined {
  const header = request.headers.authorization;
  if (header && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
  return request.query.get('access_token') ?? undefined;
}

/**
 * Null when the token is good. WhatsApp answers token errors with 401, Instagram (the
 * Messenger Platform) with 400; both carry code 190.
 */
export function checkToken(
  request: SimRequest,
  state: TokenState,
  product: 'whatsapp' | 'instagram',
): GraphFailure | null {
  const token = requestToken(request);
  const status = product === 'whatsapp' ? 401 : 400;
  if (!token) {
    return {
      status: 400,
      error: { message: 'An access token is required to request this resource.', code: 104 },
    };
  }
  if (token !== state.accessToken) {
    return {
      status,
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        code: graphErrorCodes.accessTokenExpired,
      },
    };
  }
  if (state.expired) {
    return {
      status,
      error: {
        message: 'Error validating access token: Session has expired on Tuesday, 01-Jan-30 00:00:00 PST.',
        code: graphErrorCodes.accessTokenExpired,
        subcode: 463,
      },
    };
  }
  return null;
}
