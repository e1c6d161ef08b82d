// The visitor's session: the token (created on the first message or file, or found in the
// browser), the conversation loaded from the server, and the live connection that keeps it
// current, resuming from the last event after every reconnect.
import { useCallback, useEffect, useRef, useState, type StateUpdater, type Dispatch } from 'preact/hooks';
import type { VisitorSocketFrame } from '../shared/webchat-api.js';
import { ApiError, type VisitorApi } from './api.js';
import { connectLive, type Live, type LiveState } from './live.js';
import type { Memory } from './storage.js';
import { emptyThread, updateAttachment, upsertMessages, type ThreadState } from './thread.js';

export interface SessionDeps {
  api: VisitorApi;
  memory: Memory;
  language: string;
  setThread: Dispatch<StateUpdater<ThreadState>>;
  /** Whether the visitor is looking at the conversation (replies then are not "unread"). */
  watching(): boolean;
}

export function useSession({ api, memory, language, setThread, watching }: SessionDeps) {
  const [live, setLive] = useState<LiveState>('offline');
  const [hasVisitor, setHasVisitor] = useState<boolean>(memory.get().token !== null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const starting = useRef<Promise<void> | null>(null);
  const liveRef = useRef<Live | null>(null);

  const forget = useCallback(() => {
    api.token = null;
    memory.set({ token: null, lastEventId: null });
    setHasVisitor(false);
  }, [api, memory]);

  const onFrame = useCallback(
    (frame: VisitorSocketFrame) => {
      if ('id' in frame) memory.set({ lastEventId: frame.id });
      if (frame.type === 'resync') {
        void api.messages().then((page) => {
          memory.set({ lastEventId: page.lastEventId });
          setThread((state) => upsertMessages(state, page.messages));
        });
      } else if (frame.type === 'message.created' || frame.type === 'message.updated') {
        const message = frame.data.message;
        setThread((state) => {
          const known = state.messages.some((candidate) => candidate.id === message.id);
          if (!known && message.from === 'agent' && !watching()) setUnread((count) => count + 1);
          return upsertMessages(state, [message]);
        });
      } else if (frame.type === 'attachment.ready' || frame.type === 'attachment.updated') {
        setThread((state) => updateAttachment(state, frame.data.attachment));
      }
    },
    [api, memory, setThread, watching],
  );

  const goLive = useCallback(
    (since: number | null) => {
      liveRef.current?.close();
      memory.set({ lastEventId: since });
      liveRef.current = connectLive({
        url: (from) => api.socketUrl(from),
        token: () => api.token,
        since: () => memory.get().lastEventId,
        onFrame,
        onState: setLive,
        onUnauthorized: () => {
          // The token is no longer known (the visitor was removed): start afresh.
          forget();
          setThread(emptyThread());
        },
      });
    },
    [api, memory, onFrame, forget, setThread],
  );

  // A returning visitor: load the conversation, then follow it live from where the page ends.
  useEffect(() => {
    const token = memory.get().token;
    if (!token) return undefined;
    api.token = token;
    let cancelled = false;
    api
      .messages()
      .then((page) => {
        if (cancelled) return;
        setThread((state) => upsertMessages(state, page.messages));
        setNextCursor(page.nextCursor);
        goLive(page.lastEventId);
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) forget();
      });
    return () => {
      cancelled = true;
      liveRef.current?.close();
    };
  }, [api, memory, goLive, forget, setThread]);

  /** Creates the visitor on first need (once, however many files and messages ask at once). */
  const ensureVisitor = useCallback((): Promise<void> => {
    if (api.token) return Promise.resolve();
    starting.current ??= (async () => {
      const created = await api.start({ locale: language });
      api.token = created.token;
      memory.set({ token: created.token });
      setHasVisitor(true);
      const page = await api.messages();
      goLive(page.lastEventId);
    })().finally(() => {
      starting.current = null;
    });
    return starting.current;
  }, [api, memory, language, goLive]);

  const loadOlder = useCallback(async () => {
    if (!nextCursor) return;
    const page = await api.messages(nextCursor);
    setThread((state) => upsertMessages(state, page.messages));
    setNextCursor(page.nextCursor);
  }, [api, nextCursor, setThread]);

  return { live, hasVisitor, nextCursor, unread, setUnread, ensureVisitor, loadOlder };
}
