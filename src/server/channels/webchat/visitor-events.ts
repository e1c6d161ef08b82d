// The visitor's socket view of the account's event stream: only events of the visitor's own
// tickets, only what the customer may see (no notes, no replies still queued), re-read from
// the database and reshaped with freshly signed media links.
import type { VisitorEventPayloads } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import type { StoredEvent } from '../../domain/transaction.js';
import {
  loadVisitorMessage,
  ownsTicket,
  visibleAttachmentRow,
  visitorTicketIds,
} from './visitor-conversation.js';
import { convertedCopies, presentVisitorAttachment } from './visitor-views.js';
import { visitorContactId, type VisitorRow } from './visitors.js';

type VisitorPayload = VisitorEventPayloads[keyof VisitorEventPayloads];

const field = (data: unknown, ...path: string[]): unknown => {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
};

const idOf = (data: unknown, key: 'message' | 'attachment'): string | null => {
  const id = field(data, key, 'id');
  return typeof id === 'string' ? id : null;
};

/**
 * Decides per event whether it belongs to the visitor. The visitor's tickets are read once;
 * a later ticket is theirs only if it starts with a message the visitor's contact wrote, so
 * the account's other traffic costs a set lookup, not a query per socket.
 */
function ticketFilter(deps: Deps, visitor: VisitorRow) {
  let tickets: Set<string> | null = null;
  let contactId: string | null = null;
  return async (event: StoredEvent): Promise<boolean> => {
    if (event.ticketId === null) return false;
    if (tickets === null) {
      const rows = await visitorTicketIds(deps.db, visitor).execute();
      tickets = new Set(rows.map((row) => row.id));
      contactId = await visitorContactId(deps.db, visitor);
    }
    if (tickets.has(event.ticketId)) return true;
    const authorId = field(event.data, 'message', 'author', 'id');
    if (event.type !== 'message.created' || field(event.data, 'message', 'direction') !== 'inbound')
      return false;
    contactId ??= await visitorContactId(deps.db, visitor);
    if (contactId === null || authorId !== contactId) return false;
    if (!(await ownsTicket(deps.db, visitor, event.ticketId))) return false;
    tickets.add(event.ticketId);
    return true;
  };
}

export function visitorEventView(
  deps: Deps,
  visitor: VisitorRow,
): (event: StoredEvent) => Promise<VisitorPayload | null> {
  const mine = ticketFilter(deps, visitor);
  return async (event) => {
    if (!(await mine(event))) return null;
    switch (event.type) {
      case 'message.created':
      case 'message.updated': {
        const id = idOf(event.data, 'message');
        const message = id ? await loadVisitorMessage(deps, visitor, id) : null;
        return message ? { message } : null;
      }
      case 'attachment.ready':
      case 'attachment.updated': {
        const id = idOf(event.data, 'attachment');
        const row = id ? await visibleAttachmentRow(deps.db, visitor, id) : undefined;
        if (!row || row.messageId === null) return null;
        const converted = await convertedCopies(deps.db, visitor.accountId, [row.id]);
        return {
          attachment: presentVisitorAttachment(deps, row, converted.get(row.id)),
          messageId: row.messageId,
        };
      }
      default:
        return null;
    }
  };
}
