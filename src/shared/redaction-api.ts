// The redaction API's shapes, shared by the server (request and response schemas) and the
// agent app (the composer's redaction editor and the thread's tombstones).
import { z } from 'zod';

export const piiKinds = ['card', 'iban', 'email', 'phone', 'address', 'name'] as const;
export type PiiKind = (typeof piiKinds)[number];

/** A rectangle in the pixels of the image as displayed (orientation applied), origin top-left. */
export const boxSchema = z.object({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type RedactionBox = z.infer<typeof boxSchema>;

export const findingSchema = z.object({ kind: z.enum(piiKinds), text: z.string(), box: boxSchema });
export type PiiFinding = z.infer<typeof findingSchema>;

/**
 * `POST /api/attachments/:id/pii-scan`: 200 with `status: 'done'` and the findings when the
 * scan is cached or finishes quickly, else 202 with `status: 'pending'`; the client asks again.
 */
export const piiScanResponseSchema = z.object({
  status: z.enum(['pending', 'done']),
  /** Size of the image the boxes refer to (orientation applied); null while pending. */
  width: z.number().nullable(),
  height: z.number().nullable(),
  findings: z.array(findingSchema),
});
export type PiiScanResponse = z.infer<typeof piiScanResponseSchema>;

/**
 * `POST /api/attachments/:id/redact` → 201 with the new (redacted) attachment, a draft to send
 * instead of the original. With `replace: true` (admins, for an attachment already in a
 * ticket) the attachment's own bytes are replaced by the redacted copy → 200 with it.
 */
export const redactRequestSchema = z.object({
  boxes: z.array(boxSchema).min(1).max(200),
  replace: z.boolean().optional(),
});
export type RedactRequest = z.infer<typeof redactRequestSchema>;

/** What an admin did to an attachment already in a ticket: the thread shows it as a tombstone. */
export const attachmentRemovalSchema = z.object({
  action: z.enum(['deleted', 'redacted']),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
  at: z.number(),
});
export type AttachmentRemoval = z.infer<typeof attachmentRemovalSchema>;
