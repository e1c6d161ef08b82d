// Provider events that arrive before what they refer to: a delivery status, or an echo of a
// message we sent, can beat the send job's record of the provider's id. They are kept in a
// delayed job and applied again shortly, instead of being dropped or shown twice.
import { z } from 'zod';
import { defineJob } from '../infra/queue/job.js';

const statusEventSchema = z.object({
  type: z.literal('status'),
  providerMessageId: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  at: z.number().optional(),
});

const echoEventSchema = z.object({
  type: z.literal('message'),
  providerMessageId: z.string(),
  from: z.object({
    externalId: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }),
  text: z.string(),
  subject: z.string().optional(),
  attachments: z.array(
    z.object({
      name: z.string().optional(),
      declaredType: z.string().optional(),
      declaredSize: z.number().optional(),
      source: z.record(z.string(), z.unknown()),
      store: z.boolean().optional(),
      unavailableReason: z.string().optional(),
      meta: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  receivedAt: z.number().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  echo: z.literal(true),
});

/** Delays before each new look, in order; after the last, the event is settled as it is. */
export const DEFERRED_EVENT_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000] as const;
/** Echoes wait less (7.5 s in all): our record follows the provider's answer within moments. */
export const ECHO_LOOKS = 4;

export const deferredEventJob = defineJob({
  name: 'inbound.deferred',
  queue: 'default',
  schema: z.object({
    channelId: z.string(),
    tries: z.number().int().min(0),
    event: z.discriminatedUnion('type', [statusEventSchema, echoEventSchema]),
  }),
  maxAttempts: 5,
});

export type DeferredEvent = z.infer<typeof deferredEventJob.schema>['event'];
