// The public API's shapes, shared by the server (response schemas, OpenAPI) and the clients
// (agent app, widget) as types. Fields may be added; published names are never renamed.
import { z } from 'zod';
import { attachmentRemovalSchema } from './redaction-api.js';

export const channelKinds = ['email', 'webchat', 'sms', 'whatsapp', 'instagram'] as const;
export const ticketStatuses = ['open', 'pending', 'solved', 'closed'] as const;
export const deliveryStatuses = [
  'received',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export const attachmentStates = [
  'processing',
  'ready',
  'failed',
  'too_large',
  'unavailable',
  'deleted',
] as const;
export const agentRoles = ['admin', 'agent'] as const;

export const channelKindSchema = z.enum(channelKinds);
/** A language tag such as en or pt-BR; the agent app ships one catalog per tag. */
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z][a-zA-Z]{1,3})?$/, 'must be a language tag such as en or pt-BR');
export const ticketStatusSchema = z.enum(ticketStatuses);

export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationMs: z.number().nullable(),
  kind: z.enum(['image', 'video', 'audio', 'pdf', 'file']),
  state: z.enum(attachmentStates),
  stateReason: z.string().nullable(),
  url: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  /** A display-size WebP for the viewer, where the original is heavy or not viewable in a browser. */
  previewUrl: z.string().nullable(),
  messageId: z.string().nullable(),
  /** True for a copy whose pixels were redacted (boxes burned in, metadata stripped). */
  redacted: z.boolean(),
  /** Set when an admin deleted or redacted this attachment after it was sent or received. */
  removal: attachmentRemovalSchema.nullable(),
});

export const messageSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  text: z.string(),
  note: z.boolean(),
  status: z.enum(deliveryStatuses),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  author: z.object({ kind: z.enum(['agent', 'contact']), id: z.string(), name: z.string() }).nullable(),
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  updatedAt: z.number(),
  attachments: z.array(attachmentSchema),
});

export const channelRefSchema = z.object({ id: z.string(), kind: channelKindSchema, name: z.string() });

export const ticketSchema = z.object({
  id: z.string(),
  number: z.number(),
  status: ticketStatusSchema,
  subject: z.string(),
  preview: z.string(),
  previewAttachment: z.object({ name: z.string(), count: z.number() }).nullable(),
  channel: channelRefSchema,
  contact: z.object({ id: z.string(), name: z.string() }),
  assigneeId: z.string().nullable(),
  lastMessageAt: z.number(),
  lastInboundAt: z.number().nullable(),
  createdAt: z.number(),
});

export const agentSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(agentRoles),
  locale: z.string().nullable(),
});

/** One line of the audit log: who did what to which of the account's things, and when. */
export const auditEntrySchema = z.object({
  id: z.string(),
  /** `attachment.deleted`, `attachment.redacted`, `api_token.revoked`; more may come. */
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  /** Who did it; `name` is null when that agent no longer exists. */
  actor: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  /** What the subject was at the time (a file's or a token's name, sizes, …). */
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The agent the token acts as. */
  agentId: z.string(),
  agentName: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

/**
 * What the composer needs to plan a reply on a channel, from its configuration: never a
 * secret, only the numbers and switches the server's own plan uses.
 */
export const channelLimitsSchema = z.object({
  /** E-mail: bytes of files attached to one message; the rest go as secure links. */
  attachmentBudgetBytes: z.number().int().positive().optional(),
  /** SMS: the byte budget of each image in an MMS. */
  mmsImageBytes: z.number().int().positive().optional(),
  /** Instagram: replies may go tagged HUMAN_AGENT (up to 7 days after the customer's last message). */
  humanAgentTag: z.boolean().optional(),
});

export const channelSchema = z.object({
  id: z.string(),
  kind: channelKindSchema,
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  limits: channelLimitsSchema,
  webhookUrl: z.string().nullable(),
  /** Every URL the provider's console needs (e.g. messages and status callbacks), labelled. */
  webhookUrls: z.array(z.object({ key: z.string(), label: z.string(), url: z.string() })),
  simulator: z.boolean(),
  /** How to put the channel on a website (webchat): the script tag, and a page to try it on. */
  install: z
    .object({
      snippet: z.string(),
      /** A sample page with the widget on this channel; null when the server shows no demo. */
      previewUrl: z.string().nullable(),
    })
    .nullable()
    .optional(),
  health: z.enum(['ok', 'needs_attention']),
  healthReason: z.string().nullable(),
  createdAt: z.number(),
});

export const contactIdentitySchema = z.object({
  channelId: z.string(),
  channelKind: channelKindSchema,
  channelName: z.string(),
  externalId: z.string(),
});

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.number(),
  identities: z.array(contactIdentitySchema),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type Attachment = z.infer<typeof attachmentSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Ticket = z.infer<typeof ticketSchema>;
export type Agent = z.infer<typeof agentSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type ChannelLimits = z.infer<typeof channelLimitsSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type ChannelKind = (typeof channelKinds)[number];
export type TicketStatus = (typeof ticketStatuses)[number];
