// The error body Twilio's REST API returns: `{code, message, more_info, status}`.
import { z } from 'zod';

export const twilioErrorSchema = z.looseObject({
  code: z.number(),
  message: z.string(),
  more_info: z.string().optional(),
  status: z.number(),
});

export type TwilioErrorBody = z.infer<typeof twilioErrorSchema>;

export function buildTwilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Twilio error codes the channel and the simulator both refer to. */
export const twilioErrorCodes = {
  authenticate: 20003,
  notFound: 20404,
  invalidToNumber: 21211,
  missingBody: 21602,
  missingFrom: 21603,
  missingTo: 21604,
  invalidStatusCallback: 21609,
  notReachable: 21612,
  bodyTooLong: 21617,
  invalidMediaUrl: 21620,
  tooManyMedia: 21623,
  fetchFailed: 11200,
  connectionFailed: 11205,
  invalidContentType: 12300,
  unreachable: 30003,
  carrierFiltered: 30007,
  contentTooLargeForCarrier: 30019,
  mediaTooLarge: 63034,
} as const;
