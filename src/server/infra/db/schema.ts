// Row types of every table, as Kysely sees them (camelCase; the database uses snake_case).
// Times are milliseconds since the epoch; flags are 0/1 integers, so the same migrations and
// queries run unchanged on SQLite and PostgreSQL.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ChannelKind = 'email' | 'webchat' | 'sms' | 'whatsapp' | 'instagram';
export type TicketStatus = 'open' | 'pending' | 'solved' | 'closed';
export type AgentRole = 'admin' | 'agent';
export type MessageDirection = 'inbound' | 'outbound';
export type DeliveryStatus = 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
export type AttachmentState = 'processing' | 'ready' | 'failed' | 'too_large' | 'unavailable' | 'deleted';
export type JobState = 'queued' | 'running' | 'done' | 'failed';
export type Flag = 0 | 1;

/** A JSON document kept in a text column. */
export type Json = string;

export interface AccountTable {
  id: string;
  name: string;
  ticketSeq: number;
  createdAt: number;
}

export interface AgentTable {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: AgentRole;
  passwordHash: string;
  locale: string | null;
  createdAt: number;
  disabledAt: number | null;
}

export interface SessionTable {
  id: string;
  accountId: string;
  agentId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export interface ApiTokenTable {
  id: string;
  accountId: string;
  agentId: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ChannelTable {
  id: string;
  accountId: string;
  kind: ChannelKind;
  name: string;
  config: Json;
  secrets: Json;
  simulator: Flag;
  health: 'ok' | 'needs_attention';
  healthReason: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface ContactTable {
  id: string;
  accountId: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactIdentityTable {
  id: string;
  accountId: string;
  contactId: string;
  channelId: string;
  externalId: string;
  createdAt: number;
}

export interface TicketTable {
  id: string;
  accountId: string;
  number: number;
  channelId: string;
  contactId: string;
  status: TicketStatus;
  assigneeId: string | null;
  subject: string;
  preview: string;
  previewAttachmentName: string | null;
  previewAttachmentCount: number;
  lastMessageAt: number;
  lastInboundAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MessageTable {
  id: string;
  accountId: string;
  ticketId: string;
  channelId: string;
  direction: MessageDirection;
  authorAgentId: string | null;
  text: string;
  note: Flag;
  providerMessageId: string | null;
  status: DeliveryStatus;
  errorCode: string | null;
  errorMessage: string | null;
  meta: Json;
  createdAt: number;
  updatedAt: number;
}

/** One provider message carrying part of one of our messages (a message may need several). */
export interface DeliveryTable {
  id: string;
  accountId: string;
  messageId: string;
  channelId: string;
  part: number;
  providerMessageId: string;
  status: DeliveryStatus;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AttachmentTable {
  id: string;
  accountId: string;
  messageId: string | null;
  uploadedBy: string | null;
  blobKey: string | null;
  name: string;
  contentType: string;
  declaredType: string | null;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  state: AttachmentState;
  stateReason: string | null;
  source: Json;
  meta: Json;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface DerivativeTable {
  id: string;
  accountId: string;
  attachmentId: string;
  kind: string;
  blobKey: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: number;
}

export interface BlobTable {
  key: string;
  size: number;
  refCount: number;
  createdAt: number;
}

export interface JobTable {
  id: string;
  name: string;
  queue: string;
  payload: Json;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lockedUntil: number | null;
  lockedBy: string | null;
  dedupeKey: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** When a relay handed the job to the broker (null: not yet, or no broker). */
  relayedAt: Generated<number | null>;
}

export interface EventTable {
  id: Generated<number>;
  accountId: string;
  type: string;
  ticketId: string | null;
  payload: Json;
  createdAt: number;
}

/** An anonymous webchat visitor; only the token's SHA-256 is stored. */
export interface WebchatVisitorTable {
  id: string;
  accountId: string;
  channelId: string;
  tokenHash: string;
  name: string | null;
  email: string | null;
  locale: string | null;
  createdAt: number;
  lastSeenAt: number;
}

/** Where an e-mail channel's IMAP import stands: the mailbox's UIDVALIDITY and the last UID taken. */
export interface EmailCursorTable {
  channelId: string;
  mailbox: string;
  uidValidity: number;
  lastUid: number;
  updatedAt: number;
}

/** The personal data found in one stored image, per account (a blob never changes). */
export interface PiiScanTable {
  accountId: string;
  blobKey: string;
  /** Version of recognition and detection that produced it; older versions are scanned again. */
  version: number;
  status: 'done' | 'failed';
  width: number | null;
  height: number | null;
  /** JSON array of {kind, text, box}. */
  findings: Json;
  errorCode: string | null;
  errorMessage: string | null;
  words: number;
  ms: number;
  createdAt: number;
}

/** What an admin did to the account's data, and when (e.g. deleted or redacted an attachment). */
export interface AuditLogTable {
  id: string;
  accountId: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Json;
  createdAt: number;
}

export interface Database {
  accounts: AccountTable;
  agents: AgentTable;
  sessions: SessionTable;
  apiTokens: ApiTokenTable;
  channels: ChannelTable;
  contacts: ContactTable;
  contactIdentities: ContactIdentityTable;
  tickets: TicketTable;
  messages: MessageTable;
  deliveries: DeliveryTable;
  attachments: AttachmentTable;
  derivatives: DerivativeTable;
  blobs: BlobTable;
  jobs: JobTable;
  events: EventTable;
  webchatVisitors: WebchatVisitorTable;
  emailCursors: EmailCursorTable;
  piiScans: PiiScanTable;
  auditLog: AuditLogTable;
  instanceSecrets: InstanceSecretTable;
}

/** Keys shared by every instance (not per account: they sign links for all accounts). */
export interface InstanceSecretTable {
  name: string;
  value: string;
  createdAt: number;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
