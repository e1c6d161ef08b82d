// The widget's behaviour, apart from how it looks: uploads with progress, messages that
// survive a retry, the optional contact details, read receipts and fresh media links. The
// visitor's session and live connection are in use-session.ts.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { VisitorAttachment, WidgetConfig } from '../shared/webchat-api.js';
import { ApiError, type VisitorApi } from './api.js';
import { acceptFiles } from './files.js';
import type { Catalog } from './i18n/index.js';
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
import { useSession } from './use-session.js';

export interface ChatDeps {
  api: VisitorApi;
  memory: Memory;
  config: WidgetConfig;
  language: string;
  t: Catalog;
}

export function useChat({ api, memory, config, language, t }: ChatDeps) {
  const [thread, setThread] = useState<ThreadState>(emptyThread);
  const [draftFiles, setDraftFiles] = useState<PendingFile[]>([]);
  const [open, setOpenState] = useState<boolean>(memory.get().open);
  const [notice, setNotice] = useState<string | null>(null);
  const [askContact, setAskContact] = useState(false);
  const uploads = useRef(new Map<string, Promise<VisitorAttachment>>());
  const openRef = useRef(open);
  const lastRead = useRef<string | null>(null);
  openRef.current = open;
  const watching = useCallback(() => openRef.current && document.visibilityState === 'visible', []);
  const session = useSession({ api, memory, language, setThread, watching });
  const { ensureVisitor, setUnread } = session;

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
      const { accepted, notices } = acceptFiles(files, config.limits, draftFiles.length, t, language);
      const last = notices[notices.length - 1];
      if (last) say(last);
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
    [memory, setUnread],
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
    live: session.live,
    unread: session.unread,
    notice,
    say,
    hasVisitor: session.hasVisitor,
    nextCursor: session.nextCursor,
    askContact,
    addFiles,
    removeDraft,
    send,
    retry,
    saveContact,
    loadOlder: session.loadOlder,
    fresh,
  };
}

export type Chat = ReturnType<typeof useChat>;
