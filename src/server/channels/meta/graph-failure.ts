// Graph API failures in plain words for the agent, and whether trying again can help.
// The same codes arrive as synchronous errors on a send and in WhatsApp's `failed` statuses.
import { PermanentJobError } from '../../infra/queue/job.js';
import { ProviderError } from '../adapter.js';
import { GraphApiError, GraphTransportError } from './graph-client.js';
import { graphErrorCodes } from './graph-error.js';

export type MetaProduct = 'whatsapp' | 'instagram';

export interface GraphProblem {
  code: number;
  subcode?: number | undefined;
  /** Meta's own words (title, message or details), kept after our explanation. */
  detail?: string | undefined;
  status?: number | undefined;
  transient?: boolean | undefined;
}

export interface ExplainedProblem {
  /** Stable code stored on the message, e.g. "131047" or "10/2534022". */
  code: string;
  reason: string;
  retryable: boolean;
  health?: { health: 'needs_attention'; reason: string };
}

const productName: Record<MetaProduct, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram' };

/** Rate limits and throttling: try again later. */
const RATE_LIMITS = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);
/** Temporary trouble on Meta's side. */
const TRANSIENT = new Set([1, 2, 131000, 131016]);
const TOKEN_CODES = new Set([graphErrorCodes.accessTokenExpired, 102, 463, 467]);

export const WHATSAPP_WINDOW_REASON =
  "More than 24 hours since the customer's last message: only templates can be sent.";
export const INSTAGRAM_WINDOW_REASON =
  "Outside Instagram's 24-hour window: the customer has not written for more than 24 hours. " +
  'Where the channel allows it, a reply can still go with the HUMAN_AGENT tag within 7 days.';

function known(product: MetaProduct, problem: GraphProblem): string | undefined {
  const name = productName[product];
  const { code, subcode } = problem;
  if (product === 'whatsapp') {
    switch (code) {
      case graphErrorCodes.reEngagementRequired:
      case 470:
        return WHATSAPP_WINDOW_REASON;
      case 131026:
        return 'WhatsApp could not deliver the message: the number may not use WhatsApp, or the customer must update the app.';
      case graphErrorCodes.mediaUploadError:
        return 'WhatsApp could not use the media.';
      case 131052:
        return 'WhatsApp could not download the media the customer sent.';
      case 131051:
        return 'WhatsApp does not support this message type.';
      case 131021:
        return 'The recipient is this channel’s own number.';
      case 131031:
        return 'The WhatsApp Business account is locked; see WhatsApp Manager.';
      case 131042:
        return 'The WhatsApp Business account has a payment problem; see WhatsApp Manager.';
      case 368:
        return 'The WhatsApp number is temporarily blocked for policy violations.';
    }
  }
  if (product === 'instagram') {
    if (code === graphErrorCodes.permissionDenied && subcode === graphErrorCodes.outsideWindowSubcode)
      return INSTAGRAM_WINDOW_REASON;
    if (code === graphErrorCodes.invalidParameter && subcode === graphErrorCodes.fetchFailedSubcode)
      return 'Instagram could not fetch the file from our link.';
    if (code === graphErrorCodes.invalidParameter && subcode === graphErrorCodes.uploadFailureSubcode)
      return 'Instagram refused the file (its type or size is not accepted).';
    if (code === 551) return 'This person is not available on Instagram right now.';
  }
  if (TOKEN_CODES.has(code)) return `The ${name} access token has expired or was revoked.`;
  if (RATE_LIMITS.has(code))
    return `${name} is limiting how fast messages can be sent; it will be tried again.`;
  return undefined;
}

export function explainGraphProblem(product: MetaProduct, problem: GraphProblem): ExplainedProblem {
  const name = productName[product];
  const code = problem.subcode ? `${problem.code}/${problem.subcode}` : String(problem.code);
  const explanation = known(product, problem);
  const detail = problem.detail?.trim();
  const reason = explanation
    ? detail && !explanation.includes(detail)
      ? `${explanation} (${name}: ${detail})`
      : explanation
    : `${name} refused the message: ${detail || `error ${code}`}.`;
  const retryable =
    RATE_LIMITS.has(problem.code) ||
    TRANSIENT.has(problem.code) ||
    problem.transient === true ||
    (problem.status !== undefined && problem.status >= 500);
  const token = TOKEN_CODES.has(problem.code);
  return {
    code: String(problem.code === graphErrorCodes.permissionDenied ? code : problem.code),
    reason,
    retryable: retryable && !token,
    ...(token
      ? {
          health: {
            health: 'needs_attention' as const,
            reason: `The ${name} access token has expired or was revoked: paste a new one in the channel settings.`,
          },
        }
      : {}),
  };
}

function problemOf(error: GraphApiError): GraphProblem {
  return {
    code: error.code,
    subcode: error.subcode,
    detail: error.details ?? error.message,
    status: error.status,
    transient: error.transient,
  };
}

/** A send failure as the send job understands it (ProviderError), or the error as is. */
export function toProviderError(product: MetaProduct, error: unknown): unknown {
  if (error instanceof GraphApiError) {
    const explained = explainGraphProblem(product, problemOf(error));
    return new ProviderError(explained.code, explained.reason, explained.retryable, explained.health);
  }
  if (error instanceof GraphTransportError) {
    return new ProviderError('provider_unreachable', error.message, true);
  }
  return error;
}

/** A media download failure as the fetch job understands it: permanent, or retry. */
export function toFetchError(product: MetaProduct, error: unknown, gone: string): unknown {
  if (!(error instanceof GraphApiError)) return error;
  const explained = explainGraphProblem(product, problemOf(error));
  if (explained.retryable) return error;
  if (explained.health) return new PermanentJobError(explained.health.reason);
  if (error.code === graphErrorCodes.invalidParameter) return new PermanentJobError(gone);
  return new PermanentJobError(explained.reason);
}
