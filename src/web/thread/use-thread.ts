// A ticket's messages, oldest first: the newest page at once, older pages on demand, and
// live changes (new messages, delivery statuses, media becoming ready).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Attachment, Message } from '../../shared/api-schemas.js';
import type { EventPayloads } from '../../shared/events.js';
import { get, query } from '../api/http.js';
import { getPreloaded } from '../api/preload.js';
import { useSession } from '../session/session.js';

export interface Thread {
  messages: Message[];
  loading: boolean;
  loadingOlder: boolean;
  error: string | null;
  hasOlder: boolean;
  loadOlder(): Promise<void>;
  /** Puts a message the app just created (or changed) in place without waiting for its event. */
  upsert(message: Message): void;
  /**
   * Puts an attachment the app just changed (redacted, deleted) in place. Events about it may
   * have come first: a copy still processing never replaces the same change already ready.
   */
  patchAttachment(attachment: Attachment): void;
  reload(): void;
}

const FIRST_PAGE = 40;

export const firstPagePath = (ticketId: string): string =>
  `/api/tickets/${ticketId}/messages${query({ limit: FIRST_PAGE })}`;
const OLDER_PAGE = 100;

function upsertInto(messages: Message[], message: Message): Message[] {
  const index = messages.findIndex((item) => item.id === message.id);
  if (index >= 0) {
    const existing = messages[index] as Message;
    if (existing.updatedAt > message.updatedAt) return messages;
    const next = messages.slice();
    next[index] = message;
    return next;
  }
  const next = [...messages, message];
  // Messages usually arrive in order; keep the list sorted when one does not.
  const before = messages[messages.length - 1];
  if (before && before.createdAt > message.createdAt)
    next.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return next;
}

/** Whether `incoming` is an older view of the same change than `current` (answer after event). */
export function isStale(current: Attachment, incoming: Attachment): boolean {
  return (
    current.removal?.at !== undefined &&
    current.removal.at === incoming.removal?.at &&
    current.state === 'ready' &&
    incoming.state === 'processing'
  );
}

function patchAttachment(messages: Message[], attachment: Attachment, keepNewer = false): Message[] {
  const index = messages.findIndex((message) => message.id === attachment.messageId);
  if (index < 0) return messages;
  const message = messages[index] as Message;
  const current = message.attachments.find((item) => item.id === attachment.id);
  if (!current || (keepNewer && isStale(current, attachment))) return messages;
  const next = messages.slice();
  next[index] = {
    ...message,
    attachments: message.attachments.map((item) => (item.id === attachment.id ? attachment : item)),
  };
  return next;
}

export function useThread(ticketId: string): Thread {
  const { realtime } = useSession();
  const [messages, setMessages] = useState<Message[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const olderRef = useRef<Promise<void> | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    getPreloaded<{ messages: Message[]; nextCursor: string | null }>(firstPagePath(ticketId))
      .then((page) => {
        if (cancelled) return;
        setMessages(page.messages.slice().reverse());
        setCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (cancelled) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [ticketId, generation]);

  const loadOlder = useCallback((): Promise<void> => {
    if (!cursor) return Promise.resolve();
    if (olderRef.current) return olderRef.current;
    setLoadingOlder(true);
    const promise = get<{ messages: Message[]; nextCursor: string | null }>(
      `/api/tickets/${ticketId}/messages${query({ before: cursor, limit: OLDER_PAGE })}`,
    )
      .then((page) => {
        setMessages((current) => {
          const known = new Set(current.map((message) => message.id));
          const older = page.messages.filter((message) => !known.has(message.id)).reverse();
          return [...older, ...current];
        });
        setCursor(page.nextCursor);
      })
      .catch((failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
      })
      .finally(() => {
        olderRef.current = null;
        setLoadingOlder(false);
      });
    olderRef.current = promise;
    return promise;
  }, [cursor, ticketId]);

  useEffect(
    () =>
      realtime.subscribe((event) => {
        if (event.type === 'message.created' || event.type === 'message.updated') {
          const { message } = event.data as EventPayloads['message.created'];
          if (message.ticketId === ticketId) setMessages((current) => upsertInto(current, message));
        } else if (event.type === 'attachment.ready' || event.type === 'attachment.updated') {
          const data = event.data as EventPayloads['attachment.ready'];
          if (data.ticketId === ticketId) setMessages((current) => patchAttachment(current, data.attachment));
        }
      }),
    [realtime, ticketId],
  );

  useEffect(() => realtime.onResync(() => setGeneration((value) => value + 1)), [realtime]);

  const upsert = useCallback(
    (message: Message) => setMessages((current) => upsertInto(current, message)),
    [],
  );

  const patchOne = useCallback(
    (attachment: Attachment) => setMessages((current) => patchAttachment(current, attachment, true)),
    [],
  );

  return {
    messages,
    loading,
    loadingOlder,
    error,
    hasOlder: cursor !== null,
    loadOlder,
    upsert,
    patchAttachment: patchOne,
    reload: () => setGeneration((value) => value + 1),
  };
}
