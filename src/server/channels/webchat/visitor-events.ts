// The visitor's socket view of the account's event stream: only events of the visitor's own
// tickets, only what the customer may see (no notes, no replies still queued), re-read from
// the database and reshaped with freshly signed media links.
import type { VisitorEventPayloads } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import type { StoredEvent } from '../../domain/transaction.js';
import { loadVisitorMessage, ownsTicket, visibleAttachmentRow } from './visitor-conversation.js';
import { presentVisitorAttachment } from './visitor-views.js';
import type { VisitorRow } from './visitors.js';

const REMEMBERED_TICKETS = 500;

type VisitorPayload = VisitorEventPayloads[keyof VisitorEventPayloads];

const idOf = (data: unknown, key: 'message' | 'attachment'): string | null => {
  if (typeof data !== 'object' || data === null) return null;
  const inner = (data as Record<string, unknown>)[key];
  if (typeof inner !== 'object' || inner === null) return null;
  const id = (inner as Record<string, unknown>).id;
  return typeof id === 'string' ? id : null;
};

export function visitorEventView(
  deps: Deps,
  visitor: VisitorRow,
): (event: StoredEvent) => Promise<VisitorPayload | null> {
  // Whether a ticket is the visitor's never changes once it exists, so answers are remembered.
  const owned = new Map<string, boolean>();
  const owns = async (ticketId: string): Promise<boolean> => {
    const known = owned.get(ticketId);
    if (known !== undefined) return known;
    const mine = await ownsTicket(deps.db, visitor, ticketId);
    if (owned.size >= REMEMBERED_TICKETS) owned.clear();
    owned.set(ticketId, mine);
    return mine;
  };

  return async (event) => {
    if (event.ticketId === null || !(await owns(event.ticketId))) return null;
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
        return { attachment: presentVisitorAttachment(deps, row), messageId: row.messageId };
      }
      default:
        return null;
    }
  };
}
