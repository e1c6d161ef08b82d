// One WebSocket per signed-in tab. It resumes after the last event it saw, reconnects with a
// growing delay, and tells listeners to reload everything when the server asks for a resync.
import type { EventType, RealtimeEvent } from '../../shared/events.js';

export type RealtimeListener = (event: RealtimeEvent) => void;

export interface Realtime {
  subscribe(listener: RealtimeListener): () => void;
  /** Called after a resync notice: state built from events may have gaps. */
  onResync(listener: () => void): () => void;
  onStatus(listener: (connected: boolean) => void): () => void;
  /**
   * Data loaded from a list reflects the events up to `id`. If the socket is already past it,
   * it goes back and replays from there, so that list is brought up to date.
   */
  rewindTo(id: number): void;
  close(): void;
}

const eventTypes: ReadonlySet<string> = new Set<EventType>([
  'message.created',
  'message.updated',
  'attachment.ready',
  'attachment.updated',
  'ticket.created',
  'ticket.updated',
]);

function isEvent(value: unknown): value is RealtimeEvent {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as { id?: unknown; type?: unknown; data?: unknown };
  return (
    typeof candidate.id === 'number' &&
    typeof candidate.type === 'string' &&
    eventTypes.has(candidate.type) &&
    typeof candidate.data === 'object'
  );
}

/** `since`: the event position of the data already on screen (see takeEarliestEventId). */
export function connectRealtime(since: number | null = null): Realtime {
  const listeners = new Set<RealtimeListener>();
  const resyncListeners = new Set<() => void>();
  const statusListeners = new Set<(connected: boolean) => void>();
  let lastEventId: number | null = since;
  let socket: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  let status: boolean | null = null;
  const setStatus = (connected: boolean) => {
    status = connected;
    statusListeners.forEach((listener) => listener(connected));
  };

  function open(): void {
    if (closed) return;
    const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = lastEventId !== null ? `?since=${lastEventId}` : '';
    const ws = new WebSocket(`${protocol}//${location.host}/api/ws${since}`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus(true);
      pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('ping'), 25_000);
    };
    ws.onmessage = (message) => {
      let value: unknown;
      try {
        value = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (!value || typeof value !== 'object') return;
      const type = (value as { type?: unknown }).type;
      if (type === 'hello') {
        const id = (value as { lastEventId?: unknown }).lastEventId;
        if (lastEventId === null && typeof id === 'number') lastEventId = id;
        return;
      }
      if (type === 'resync') {
        lastEventId = null;
        resyncListeners.forEach((listener) => listener());
        return;
      }
      if (isEvent(value)) {
        lastEventId = Math.max(lastEventId ?? 0, value.id);
        listeners.forEach((listener) => listener(value));
      }
    };
    ws.onclose = () => {
      clearInterval(pingTimer);
      socket = null;
      setStatus(false);
      if (closed) return;
      attempt += 1;
      const delay = Math.min(15_000, 500 * 2 ** Math.min(attempt, 5)) * (0.75 + Math.random() / 2);
      retryTimer = setTimeout(open, delay);
    };
  }

  open();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      if (status !== null) listener(status);
      return () => statusListeners.delete(listener);
    },
    rewindTo(id) {
      if (closed || lastEventId === null || id >= lastEventId) return;
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'replay', since: id }));
      else lastEventId = id;
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      socket?.close();
    },
  };
}
