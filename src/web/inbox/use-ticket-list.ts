// The inbox's tickets for a set of filters: first page, further pages on demand, and live
// changes from the event stream (new tickets in, changed ones moved or dropped).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Ticket, TicketStatus } from '../../shared/api-schemas.js';
import { get, query } from '../api/http.js';
import { getPreloaded } from '../api/preload.js';
import { useSession } from '../session/session.js';

export interface TicketFilters {
  status: TicketStatus | '';
  channelId: string;
  /** An agent id, "none" for unassigned, or "" for anyone. */
  assigneeId: string;
  q: string;
}

export interface TicketList {
  tickets: Ticket[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

const PAGE = 40;

export const defaultFilters: TicketFilters = { status: 'open', channelId: '', assigneeId: '', q: '' };

export const ticketListPath = (filters: TicketFilters, cursor: string | null): string =>
  `/api/tickets${query({
    status: filters.status,
    channelId: filters.channelId,
    assigneeId: filters.assigneeId,
    q: filters.q.trim(),
    cursor,
    limit: PAGE,
  })}`;

export function matchesFilters(ticket: Ticket, filters: TicketFilters): boolean {
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.channelId && ticket.channel.id !== filters.channelId) return false;
  if (filters.assigneeId === 'none' && ticket.assigneeId !== null) return false;
  if (filters.assigneeId && filters.assigneeId !== 'none' && ticket.assigneeId !== filters.assigneeId)
    return false;
  if (filters.q) {
    const needle = filters.q.toLocaleLowerCase();
    const haystack = `${ticket.subject} ${ticket.preview} ${ticket.contact.name} #${ticket.number}`;
    if (!haystack.toLocaleLowerCase().includes(needle)) return false;
  }
  return true;
}

const byActivity = (a: Ticket, b: Ticket) => b.lastMessageAt - a.lastMessageAt || b.number - a.number;

export function useTicketList(filters: TicketFilters): TicketList {
  const { realtime } = useSession();
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const requestRef = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const { status, channelId, assigneeId, q } = filters;
  const path = useCallback(
    (after: string | null) => ticketListPath({ status, channelId, assigneeId, q }, after),
    [status, channelId, assigneeId, q],
  );

  useEffect(() => {
    const request = ++requestRef.current;
    setLoading(true);
    setError(null);
    getPreloaded<{ tickets: Ticket[]; nextCursor: string | null }>(path(null))
      .then((page) => {
        if (request !== requestRef.current) return;
        setTickets(page.tickets);
        setCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (request !== requestRef.current) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      });
  }, [path, generation]);

  const loadMore = useCallback(() => {
    if (loading || !cursor) return;
    const request = ++requestRef.current;
    setLoading(true);
    get<{ tickets: Ticket[]; nextCursor: string | null }>(path(cursor))
      .then((page) => {
        if (request !== requestRef.current) return;
        setTickets((current) => {
          const known = new Set(current.map((ticket) => ticket.id));
          return [...current, ...page.tickets.filter((ticket) => !known.has(ticket.id))];
        });
        setCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (request !== requestRef.current) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      });
  }, [loading, cursor, path]);

  useEffect(
    () =>
      realtime.subscribe((event) => {
        if (event.type !== 'ticket.created' && event.type !== 'ticket.updated') return;
        const { ticket } = (event as { data: { ticket: Ticket } }).data;
        setTickets((current) => {
          const rest = current.filter((item) => item.id !== ticket.id);
          if (!matchesFilters(ticket, filtersRef.current)) return rest;
          return [...rest, ticket].sort(byActivity);
        });
      }),
    [realtime],
  );

  useEffect(() => realtime.onResync(() => setGeneration((value) => value + 1)), [realtime]);

  return {
    tickets,
    loading,
    error,
    hasMore: cursor !== null,
    loadMore,
    reload: () => setGeneration((value) => value + 1),
  };
}
