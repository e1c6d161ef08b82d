// The widget's behaviour, apart from how it looks: the visitor (created on the first message
// or file), uploads with progress, messages that survive a retry, the live connection and
// read receipts.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { VisitorAttachment, VisitorSocketFrame, WidgetConfig } from '../shared/webchat-api.js';
import { ApiError, type VisitorApi } from './api.js';
import { checkFile } from './files.js';
import { formatBytes, type Catalog } from './i18n/index.js';
import { connectLive, type Live, type LiveState } from './live.js';
import type { Memory } from './storage.js';
import {
  emptyThread,
  linksStale,
  newClientId,
  updateAttachment,
  upsertMessages,
  type LocalMessage,
  type PendingFile,
  type ThreadState,
} from './thread.js';

export interface ChatDeps {
  api: VisitorApi;
  memory: Memory;
  config: WidgetConfig;
  language: string;
  t: Catalog;
}

let fileCounter = 0;

export function useChat({ api, memory, config, language, t }: ChatDeps) {
  const [thread, setThread] = useState<ThreadState>(emptyThread);
  const [draftFiles, setDraftFiles] = useState<PendingFile[]>([]);
  const [open, setOpenState] = useState<boolean>(memory.get().open);
  const [live, setLive] = useState<LiveState>('offline');
  const [unread, setUnread] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [hasVisitor, setHasVisitor] = useState<boolean>(memory.get().token !== null);
  const [askContact, setAskContact] = useState(false);
  const uploads = useRef(new Map<string, Promise<VisitorAttachment>>());
  const starting = useRef<Promise<void> | null>(null);
  const liveRef = useRef<Live | null>(null);
  const openRef = useRef(open);
  const lastRead = useRef<string | null>(null);
  openRef.current = open;

  const say = useCallback((text: string | null) => setNotice(text), []);
  useEffect(() => {
    if (!notice) return undefined;
    const timer = setTimeout(() => setNotice(null), 7000);
    return () => clearTimeout(timer);
  }, [notice]);

  const describe = useCallback(
    (error: unknown): string =>
      error instanceof ApiError && error.code === 'rate_limited'
        ? t.rateLimited
        : error instanceof ApiError && error.status > 0 && error.status < 500 && error.code !== 'error'
          ? error.message
          : t.genericError,
    [t],
  );

  const onFrame = useCallback(
    (frame: VisitorSocketFrame) => {
      if ('id' in frame) memory.set({ lastEventId: frame.id });
      if (frame.type === 'resync') {
        void api.messages().then((page) => {
          memory.set({ lastEventId: page.lastEventId });
          setThread((state) => upsertMessages(state, page.messages));
        });
        return;
      }
      if (frame.type === 'message.created' || frame.type === 'message.updated') {
        const message = frame.data.message;
        setThread((state) => {
          const known = state.messages.some((candidate) => candidate.id === message.id);
          if (
            !known &&
            message.from === 'agent' &&
            (!openRef.current || document.visibilityState !== 'visible')
          )
            setUnread((count) => count + 1);
          return upsertMessages(state, [message]);
        });
      } else if (frame.type === 'attachment.ready' || frame.type === 'attachment.updated') {
        setThread((state) => updateAttachment(state, frame.data.attachment));
      }
    },
    [api, memory],
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
          // The token is no longer known (the visitor was removed): start afresh next time.
          api.token = null;
          memory.set({ token: null, lastEventId: null });
          setHasVisitor(false);
          setThread(emptyThread());
        },
      });
    },
    [api, memory, onFrame],
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
        if (error instanceof ApiError && error.status === 401) {
          api.token = null;
          memory.set({ token: null, lastEventId: null });
          setHasVisitor(false);
        }
      });
    return () => {
      cancelled = true;
      liveRef.current?.close();
    };
  }, [api, memory, goLive]);

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

  const patchDraft = (key: string, change: Partial<PendingFile>) =>
    setDraftFiles((files) => files.map((file) => (file.key === key ? { ...file, ...change } : file)));
  const patchLocalFile = (key: string, change: Partial<PendingFile>) =>
    setThread((state) => ({
      ...state,
      locals: state.locals.map((local) => ({
        ...local,
        files: local.files.map((file) => (file.key === key ? { ...file, ...change } : file)),
      })),
    }));

  const startUpload = useCallback(
    (pending: PendingFile) => {
      const patch = (change: Partial<PendingFile>) => {
        patchDraft(pending.key, change);
        patchLocalFile(pending.key, change);
      };
      const promise = ensureVisitor()
        .then(() => api.upload(pending.file, (progress) => patch({ progress })))
        .then((attachment) => {
          patch({ state: 'done', progress: 1, attachment });
          if (pending.previewUrl) {
            const preview = pending.previewUrl;
            setThread((state) => ({ ...state, previews: { ...state.previews, [attachment.id]: preview } }));
          }
          return attachment;
        })
        .catch((error: unknown) => {
          const reason = describe(error);
          patch({ state: 'error', error: reason });
          say(reason);
          throw error;
        });
      promise.catch(() => undefined);
      uploads.current.set(pending.key, promise);
    },
    [api, ensureVisitor, describe, say],
  );

  const addFiles = useCallback(
    (files: File[]) => {
      const room = config.limits.perMessage - draftFiles.length;
      if (files.length > room) say(t.tooMany(config.limits.perMessage));
      const accepted: PendingFile[] = [];
      for (const file of files.slice(0, Math.max(0, room))) {
        const verdict = checkFile(config.limits, file);
        if (!verdict.ok) {
          say(
            verdict.reason === 'too_large'
              ? t.tooLarge(file.name, formatBytes(verdict.maxBytes, language))
              : t.notAccepted(file.name),
          );
          continue;
        }
        fileCounter += 1;
        accepted.push({
          key: `f${fileCounter}`,
          file,
          name: file.name || 'image.png',
          size: file.size,
          type: file.type,
          previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
          progress: 0,
          state: 'uploading',
          error: null,
          attachment: null,
        });
      }
      if (accepted.length === 0) return;
      setDraftFiles((current) => [...current, ...accepted]);
      for (const pending of accepted) startUpload(pending);
    },
    [config, draftFiles.length, language, say, startUpload, t],
  );

  const removeDraft = useCallback((key: string) => {
    setDraftFiles((files) => files.filter((file) => file.key !== key));
    uploads.current.delete(key);
  }, []);

  const deliver = useCallback(
    async (local: LocalMessage) => {
      const setLocal = (change: Partial<LocalMessage>) =>
        setThread((state) => ({
          ...state,
          locals: state.locals.map((candidate) =>
            candidate.clientId === local.clientId ? { ...candidate, ...change } : candidate,
          ),
        }));
      try {
        await ensureVisitor();
        const attachments = await Promise.all(
          local.files.map(
            (file) => uploads.current.get(file.key) ?? Promise.reject(new Error('upload lost')),
          ),
        );
        const message = await api.send({
          clientId: local.clientId,
          text: local.text,
          attachmentIds: attachments.map((attachment) => attachment.id),
        });
        for (const file of local.files) uploads.current.delete(file.key);
        setThread((state) => upsertMessages(state, [message]));
        if (!memory.get().contactAsked && config.askForContact) setAskContact(true);
      } catch (error) {
        setLocal({ state: 'failed', error: describe(error) });
      }
    },
    [api, config.askForContact, describe, ensureVisitor, memory],
  );

  const send = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (!trimmed && draftFiles.length === 0) return false;
      const local: LocalMessage = {
        clientId: newClientId(),
        text: trimmed,
        files: draftFiles,
        state: 'sending',
        error: null,
        createdAt: Date.now(),
      };
      setDraftFiles([]);
      setThread((state) => ({ ...state, locals: [...state.locals, local] }));
      void deliver(local);
      return true;
    },
    [deliver, draftFiles],
  );

  const retry = useCallback(
    (clientId: string) => {
      const local = thread.locals.find((candidate) => candidate.clientId === clientId);
      if (!local) return;
      for (const file of local.files) {
        if (file.state === 'error') startUpload({ ...file, state: 'uploading', progress: 0, error: null });
      }
      const again = { ...local, state: 'sending' as const, error: null };
      setThread((state) => ({
        ...state,
        locals: state.locals.map((candidate) => (candidate.clientId === clientId ? again : candidate)),
      }));
      void deliver(again);
    },
    [deliver, startUpload, thread.locals],
  );

  const saveContact = useCallback(
    async (details: { name: string; email: string } | null) => {
      memory.set({ contactAsked: true });
      setAskContact(false);
      if (!details || (!details.name && !details.email)) return;
      try {
        await api.updateVisitor(details);
        say(t.contactThanks(details.name || null));
      } catch (error) {
        say(describe(error));
      }
    },
    [api, describe, memory, say, t],
  );

  const loadOlder = useCallback(async () => {
    if (!nextCursor) return;
    const page = await api.messages(nextCursor);
    setThread((state) => upsertMessages(state, page.messages));
    setNextCursor(page.nextCursor);
  }, [api, nextCursor]);

  /** The attachment with links that work now (asks the server again when they are about to expire). */
  const fresh = useCallback(
    async (attachment: VisitorAttachment): Promise<VisitorAttachment> => {
      if (!linksStale(attachment, Date.now())) return attachment;
      const renewed = await api.attachment(attachment.id);
      setThread((state) => updateAttachment(state, renewed));
      return renewed;
    },
    [api],
  );

  const setOpen = useCallback(
    (value: boolean) => {
      setOpenState(value);
      memory.set({ open: value });
      if (value) setUnread(0);
    },
    [memory],
  );

  // Read receipts: while the panel is open and visible, the latest reply counts as seen.
  useEffect(() => {
    if (!open || document.visibilityState !== 'visible') return;
    const latest = [...thread.messages].reverse().find((message) => message.from === 'agent');
    if (!latest || latest.status === 'read' || lastRead.current === latest.id) return;
    lastRead.current = latest.id;
    void api.read(latest.id).catch(() => {
      lastRead.current = null;
    });
  }, [api, open, thread.messages]);

  return {
    thread,
    draftFiles,
    open,
    setOpen,
    live,
    unread,
    notice,
    say,
    hasVisitor,
    nextCursor,
    askContact,
    addFiles,
    removeDraft,
    send,
    retry,
    saveContact,
    loadOlder,
    fresh,
  };
}

export type Chat = ReturnType<typeof useChat>;
