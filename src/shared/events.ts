// Real-time events, as delivered on /api/ws. Each carries the id it has in the event log, so
// a client that reconnects asks for everything after the last id it saw.
import type { Attachment, Message, Ticket } from './api-schemas.js';

export interface EventPayloads {
  'message.created': { message: Message };
  'message.updated': { message: Message };
  'attachment.ready': { attachment: Attachment; ticketId: string };
  'attachment.updated': { attachment: Attachment; ticketId: string };
  'ticket.created': { ticket: Ticket };
  'ticket.updated': { ticket: Ticket };
}

export type EventType = keyof EventPayloads;

export interface RealtimeEvent<T extends EventType = EventType> {
  id: number;
  type: T;
  at: number;
  data: EventPayloads[T];
}

/** Sent when a reconnecting client has missed more events than the server replays. */
export interface ResyncNotice {
  type: 'resync';
}
