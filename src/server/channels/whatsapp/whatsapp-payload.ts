// The parts of a WhatsApp Cloud API webhook we read, parsed leniently: Meta adds fields
// without notice (kept, ignored), and a field of the wrong type is dropped rather than
// sinking the whole delivery.
import { z } from 'zod';

const text = z.string().optional().catch(undefined);
const flag = z.boolean().optional().catch(undefined);

export const waErrorSchema = z.looseObject({
  code: z.coerce.number().optional().catch(undefined),
  title: text,
  message: text,
  error_data: z.looseObject({ details: text }).optional().catch(undefined),
});

export const waMediaSchema = z.looseObject({
  id: text,
  mime_type: text,
  sha256: text,
  caption: text,
  filename: text,
  voice: flag,
  animated: flag,
  /** Number or string; never trusted for limits, the bytes are. */
  file_size: z.union([z.number(), z.string()]).optional().catch(undefined),
});

export const waMessageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  text: z.looseObject({ body: text }).optional().catch(undefined),
  image: waMediaSchema.optional().catch(undefined),
  video: waMediaSchema.optional().catch(undefined),
  audio: waMediaSchema.optional().catch(undefined),
  document: waMediaSchema.optional().catch(undefined),
  sticker: waMediaSchema.optional().catch(undefined),
  location: z
    .looseObject({
      latitude: z.coerce.number(),
      longitude: z.coerce.number(),
      name: text,
      address: text,
      url: text,
    })
    .optional()
    .catch(undefined),
  reaction: z.looseObject({ message_id: text, emoji: text }).optional().catch(undefined),
  button: z.looseObject({ text: text, payload: text }).optional().catch(undefined),
  interactive: z
    .looseObject({
      type: text,
      button_reply: z.looseObject({ id: text, title: text }).optional().catch(undefined),
      list_reply: z.looseObject({ id: text, title: text, description: text }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  errors: z.array(waErrorSchema).optional().catch(undefined),
  context: z.looseObject({ from: text, id: text }).optional().catch(undefined),
});

export const waStatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.union([z.string(), z.number()]).optional().catch(undefined),
  recipient_id: text,
  errors: z.array(waErrorSchema).optional().catch(undefined),
});

export const waContactSchema = z.looseObject({
  wa_id: z.string(),
  profile: z.looseObject({ name: text }).optional().catch(undefined),
});

/** One `changes[].value`; its lists stay unparsed so one bad item cannot hide the others. */
export const waValueSchema = z.looseObject({
  metadata: z
    .looseObject({ phone_number_id: z.coerce.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  contacts: z.array(z.unknown()).optional().catch(undefined),
  messages: z.array(z.unknown()).optional().catch(undefined),
  statuses: z.array(z.unknown()).optional().catch(undefined),
  errors: z.array(z.unknown()).optional().catch(undefined),
});

export const waEnvelopeSchema = z.looseObject({
  object: text,
  entry: z.array(z.unknown()).optional().catch(undefined),
});

export const waEntrySchema = z.looseObject({
  id: z.coerce.string().optional().catch(undefined),
  changes: z.array(z.unknown()).optional().catch(undefined),
});

export const waChangeSchema = z.looseObject({ field: text, value: z.unknown() });

export type WaError = z.infer<typeof waErrorSchema>;
export type WaMedia = z.infer<typeof waMediaSchema>;
export type WaMessage = z.infer<typeof waMessageSchema>;
export type WaStatus = z.infer<typeof waStatusSchema>;

/** Unix seconds (string or number) to milliseconds, or undefined when unusable. */
export function unixMs(value: string | number | undefined): number | undefined {
  const seconds = typeof value === 'number' ? value : value && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
