// One ticket, kept current from the event stream, with the changes an agent makes to it.
import { useCallback, useEffect, useState } from 'react';
import type { Ticket } from '../../shared/api-schemas.js';
import type { EventPayloads } from '../../shared/events.js';
import { api } from '../api/http.js';
import { getPreloaded } from '../api/preload.js';
import { useSession } from '../session/session.js';

export function useTicket(ticketId: string) {
  const { realtime } = useSession();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    getPreloaded<Ticket>(`/api/tickets/${ticketId}`)
      .then((value) => !cancelled && setTicket(value))
      .catch((failure: unknown) => {
        if (cancelled) return;
        const status =
          typeof failure === 'object' && failure && 'status' in failure ? Number(failure.status) : 0;
        setError({ status, message: failure instanceof Error ? failure.message : String(failure) });
      });
    return () => {
      cancelled = true;
    };
  }, [ticketId]);

  useEffect(
    () =>
      realtime.subscribe((event) => {
        if (event.type !== 'ticket.updated' && event.type !== 'ticket.created') return;
        const { ticket: changed } = event.data as EventPayloads['ticket.updated'];
        if (changed.id === ticketId) setTicket(changed);
      }),
    [realtime, ticketId],
  );

  const update = useCallback(
    async (change: { status?: Ticket['status']; assigneeId?: string | null }) => {
      setTicket(await api<Ticket>('PATCH', `/api/tickets/${ticketId}`, change));
    },
    [ticketId],
  );

  return { ticket, error, update };
}
