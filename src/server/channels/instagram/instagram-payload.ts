// The parts of an Instagram Messaging webhook we read, parsed leniently: unknown fields are
// kept and ignored, a field of the wrong type is dropped, and lists stay unparsed so one bad
// item cannot hide the others.
import { z } from 'zod';

const text = z.string().optional().catch(undefined);
const flag = z.boolean().optional().catch(undefined);
const id = z.union([z.string(), z.number()]).transform(String);

export const igAttachmentSchema = z.looseObject({
  type: z.string(),
  payload: z.looseObject({ url: text, title: text }).optional().catch(undefined),
});

export const igMessageSchema = z.looseObject({
  mid: z.string().min(1),
  text,
  attachments: z.array(z.unknown()).optional().catch(undefined),
  is_echo: flag,
  is_deleted: flag,
  is_unsupported: flag,
  reply_to: z
    .looseObject({
      mid: text,
      story: z.looseObject({ url: text, id: text }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

export const igMessagingSchema = z.looseObject({
  sender: z.looseObject({ id }),
  recipient: z.looseObject({ id }),
  timestamp: z.coerce.number().optional().catch(undefined),
  message: z.unknown().optional(),
  read: z.looseObject({ mid: text }).optional().catch(undefined),
});

export const igEnvelopeSchema = z.looseObject({
  object: text,
  entry: z.array(z.unknown()).optional().catch(undefined),
});

export const igEntrySchema = z.looseObject({
  id: id.optional().catch(undefined),
  messaging: z.array(z.unknown()).optional().catch(undefined),
  changes: z.array(z.unknown()).optional().catch(undefined),
});

export const igChangeSchema = z.looseObject({ field: text, value: z.unknown() });

export type IgAttachment = z.infer<typeof igAttachmentSchema>;
export type IgMessage = z.infer<typeof igMessageSchema>;
export type IgMessaging = z.infer<typeof igMessagingSchema>;
