// The webchat widget's API (/api/widget/:channelId/...), shared by the server (response
// schemas) and the widget (types only, so none of zod reaches the visitor's browser).
// A visitor sees their own conversation in these shapes: no internal notes, no agent ids,
// and media links that are signed and expire.
import { z } from 'zod';
import { attachmentStates, deliveryStatuses } from './api-schemas.js';

export const VISITOR_TOKEN_HEADER = 'x-visitor-token';

export const visitorAttachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  kind: z.enum(['image', 'video', 'audio', 'pdf', 'file']),
  state: z.enum(attachmentStates),
  /** Signed link to the original (inline where safe); null until the file is readable. */
  url: z.string().nullable(),
  /** Signed link to a WebP thumbnail, when one exists. */
  thumbnailUrl: z.string().nullable(),
  previewUrl: z.string().nullable(),
  /** Signed link that always downloads. */
  downloadUrl: z.string().nullable(),
  /** When the links stop working (seconds since the epoch); ask for the attachment again after. */
  linksExpireAt: z.number().nullable(),
});

export const visitorMessageSchema = z.object({
  id: z.string(),
  from: z.enum(['visitor', 'agent']),
  /** The widget's own id for a visitor's message (the one it posted it with). */
  clientId: z.string().nullable(),
  text: z.string(),
  status: z.enum(deliveryStatuses),
  /** The agent's display name on replies; null on the visitor's own messages. */
  authorName: z.string().nullable(),
  createdAt: z.number(),
  attachments: z.array(visitorAttachmentSchema),
});

const typeRuleSchema = z.object({
  accept: z.array(z.string()),
  maxBytes: z.number(),
  convert: z.array(z.string()).optional(),
  convertTo: z.string().optional(),
});

export const widgetLimitsSchema = z.object({
  /** Files one message may carry. */
  perMessage: z.number(),
  /** Largest file of any kind, after the server's own upload cap. */
  maxFileBytes: z.number(),
  image: typeRuleSchema,
  video: typeRuleSchema,
  audio: typeRuleSchema,
  document: typeRuleSchema,
});

export const widgetConfigSchema = z.object({
  channelId: z.string(),
  /** Texts by language tag ("en", "pt-BR"); the widget picks the visitor's. */
  title: z.record(z.string(), z.string()),
  greeting: z.record(z.string(), z.string()),
  color: z.string(),
  /** The channel's default language, used when neither the page nor the browser names one we speak. */
  locale: z.string().nullable(),
  askForContact: z.boolean(),
  limits: widgetLimitsSchema,
});

export const visitorSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});

export const newVisitorResponseSchema = z.object({ visitor: visitorSchema, token: z.string() });

export const messagePageSchema = z.object({
  /** Oldest first: the `limit` newest messages before the cursor. */
  messages: z.array(visitorMessageSchema),
  /** Pass as `before` for the page of older messages; null when there is none. */
  nextCursor: z.string().nullable(),
  /** Open the socket with `since` set to this, so nothing between the two is missed. */
  lastEventId: z.number(),
});

export type VisitorAttachment = z.infer<typeof visitorAttachmentSchema>;
export type VisitorMessage = z.infer<typeof visitorMessageSchema>;
export type WidgetLimits = z.infer<typeof widgetLimitsSchema>;
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;
export type Visitor = z.infer<typeof visitorSchema>;
export type NewVisitorResponse = z.infer<typeof newVisitorResponseSchema>;
export type MessagePage = z.infer<typeof messagePageSchema>;

/** What the visitor's socket carries, after a `hello` (or a `resync` when too far behind). */
export interface VisitorEventPayloads {
  'message.created': { message: VisitorMessage };
  'message.updated': { message: VisitorMessage };
  'attachment.ready': { attachment: VisitorAttachment; messageId: string };
  'attachment.updated': { attachment: VisitorAttachment; messageId: string };
}

export type VisitorSocketFrame =
  | { type: 'hello'; lastEventId: number }
  | { type: 'resync' }
  | { type: 'pong' }
  | {
      [T in keyof VisitorEventPayloads]: { id: number; type: T; at: number; data: VisitorEventPayloads[T] };
    }[keyof VisitorEventPayloads];

/** The widget's accent colour when the channel sets none (kept beside the colour helpers). */
export { DEFAULT_WIDGET_COLOR } from './colour-contrast.js';
