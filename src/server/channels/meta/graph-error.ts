// The error body of Meta's Graph API, shared by WhatsApp Cloud API and Instagram Messaging:
// `{error:{message, type, code, error_subcode, error_data:{details}, fbtrace_id}}`.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const graphErrorSchema = z.object({
  error: z.looseObject({
    message: z.string(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    error_data: z
      .looseObject({ messaging_product: z.string().optional(), details: z.string().optional() })
      .optional(),
    fbtrace_id: z.string().optional(),
  }),
});

export type GraphErrorBody = z.infer<typeof graphErrorSchema>;

export interface GraphErrorInput {
  message: string;
  code: number;
  type?: string;
  subcode?: number;
  details?: string;
  messagingProduct?: 'whatsapp' | 'instagram';
  fbtraceId?: string;
}

export function buildGraphError(input: GraphErrorInput): GraphErrorBody {
  return {
    error: {
      message: input.message,
      type: input.type ?? 'OAuthException',
      code: input.code,
      ...(input.subcode === undefined ? {} : { error_subcode: input.subcode }),
      ...(input.details === undefined
        ? {}
        : {
            error_data: {
              ...(input.messagingProduct ? { messaging_product: input.messagingProduct } : {}),
              details: input.details,
            },
          }),
      fbtrace_id: input.fbtraceId ?? randomBytes(12).toString('base64url'),
    },
  };
}

/** Graph error codes the channels and the simulator both refer to. */
export const graphErrorCodes = {
  invalidParameter: 100,
  /** Code 100 with this subcode: the object id does not exist or cannot be loaded. */
  unknownObjectSubcode: 33,
  accessTokenExpired: 190,
  /** Instagram: code 10 with subcode 2534022 means the reply window is closed. */
  permissionDenied: 10,
  outsideWindowSubcode: 2534022,
  /** Instagram: code 100 with these subcodes when Meta could not use our attachment URL. */
  fetchFailedSubcode: 2018008,
  uploadFailureSubcode: 2018047,
  /** WhatsApp: more than 24 hours since the customer last wrote. */
  reEngagementRequired: 131047,
  /** WhatsApp: media could not be uploaded or downloaded. */
  mediaUploadError: 131053,
} as const;
