// The reply box: text, files (picker, drop, paste), what the channel will do with them, the
// internal-note switch, and send with a button or Ctrl/Cmd+Enter.
import {
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Message, Ticket } from '../../shared/api-schemas.js';
import { api, ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/error-text.js';
import { Icon } from '../ui/icon.js';
import { AttachmentChip } from './attachment-chip.js';
import { composerHints } from './channel-hints.js';
import { ReplyWindowNotice, replyWindowFacts } from './reply-window-notice.js';
import { useChannelLimits } from './use-channel-limits.js';
import { useDestination } from './use-destination.js';
import type { UploadItem, Uploads } from './use-uploads.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Composer({
  ticket,
  uploads,
  onSent,
  chipActions,
  notices,
}: {
  ticket: Ticket;
  uploads: Uploads;
  onSent(message: Message): void;
  /** Extra actions on a file's chip (for instance, opening an image editor). */
  chipActions?: (item: UploadItem) => ReactNode;
  /** Extra notes among the composer's hints, as list items (e.g. personal data found in a file). */
  notices?: ReactNode;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [humanAgent, setHumanAgent] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const kind = ticket.channel.kind;

  // The box grows with the text up to a limit, then scrolls.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, 240)}px`;
  }, [text]);
  const channelName = t(`channel.${kind}`);

  const facts = uploads.items
    .filter((item) => item.status !== 'failed')
    .map((item) => ({
      id: item.id,
      contentType: item.attachment?.contentType ?? item.type,
      size: item.attachment?.size ?? item.size,
    }));
  const factsKey = facts.map((fact) => `${fact.id}:${fact.contentType}:${fact.size}`).join('|');
  const destination = useDestination(ticket);
  const limits = useChannelLimits(ticket);
  const hints = useMemo(
    () => composerHints(i18n, kind, facts, text, destination, limits),
    [i18n, kind, factsKey, text, destination, limits],
  );

  const uploading = uploads.items.some((item) => item.status === 'uploading');
  const failedUploads = uploads.items.some((item) => item.status === 'failed');
  const ready = uploads.items.filter((item) => item.status === 'ready' && item.attachment);
  const hasContent = text.trim().length > 0 || ready.length > 0;
  const blocked = !note && hints.blocked;
  const canSend = hasContent && !uploading && !failedUploads && !sending && !blocked;
  const replyWindow = replyWindowFacts(ticket, limits, Date.now());
  const tagged = !note && replyWindow.humanAgentOffered && humanAgent;
  const nudge = !note && ready.length + (uploading ? 1 : 0) > 0 && text.trim().length === 0;

  async function send() {
    if (!canSend) return;
    setSending(true);
    setSendError(null);
    try {
      const message = await api<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
        ...(text.trim() ? { text: text.trim() } : {}),
        ...(ready.length ? { attachmentIds: ready.map((item) => item.attachment?.id as string) } : {}),
        ...(note ? { note: true } : {}),
        ...(tagged ? { meta: { humanAgentTag: true } } : {}),
      });
      onSent(message);
      setText('');
      uploads.clear();
      textarea.current?.focus();
    } catch (failure) {
      setSendError(
        failure instanceof ApiError && failure.status !== 0 && failure.status < 500
          ? errorText(t, failure)
          : t('composer.sendFailed'),
      );
    } finally {
      setSending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void send();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    event.preventDefault();
    uploads.add(files, t('composer.pastedName'));
  }

  const shortcut = isMac ? '⌘↵' : 'Ctrl+↵';
  return (
    <section className={note ? 'composer note-mode' : 'composer'} aria-label={t('composer.label')}>
      <div className="composer-modes" role="radiogroup" aria-label={t('composer.mode')}>
        <button
          type="button"
          role="radio"
          aria-checked={!note}
          className={!note ? 'mode active' : 'mode'}
          onClick={() => setNote(false)}
        >
          <Icon name={kind} size={14} />
          {t('composer.reply', { channel: channelName })}
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={note}
          className={note ? 'mode active' : 'mode'}
          onClick={() => setNote(true)}
        >
          <Icon name="lock" size={14} />
          {t('composer.internalNote')}
        </button>
      </div>
      {note ? null : (
        <ReplyWindowNotice
          channelName={channelName}
          facts={replyWindow}
          humanAgent={humanAgent}
          onHumanAgentChange={setHumanAgent}
        />
      )}
      <div className="composer-box">
        {uploads.items.length ? (
          <ul className="chips" aria-label={t('composer.attachments')}>
            {uploads.items.map((item) => (
              <AttachmentChip
                key={item.id}
                item={item}
                hint={note ? undefined : hints.files.get(item.id)}
                onRemove={uploads.remove}
                onRetry={uploads.retry}
                actions={chipActions?.(item)}
              />
            ))}
          </ul>
        ) : null}
        <label htmlFor={`${id}-text`} className="visually-hidden">
          {note ? t('composer.notePlaceholder') : t('composer.placeholder', { name: ticket.contact.name })}
        </label>
        <textarea
          id={`${id}-text`}
          ref={textarea}
          className="composer-text"
          rows={3}
          value={text}
          placeholder={
            note ? t('composer.notePlaceholder') : t('composer.placeholder', { name: ticket.contact.name })
          }
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {!note && (hints.notes.length || nudge || notices) ? (
          <ul className="composer-hints" aria-live="polite">
            {notices}
            {nudge ? (
              <li className="hint nudge">
                <Icon name="sparkle" size={14} />
                {t('composer.nudge')}
              </li>
            ) : null}
            {hints.notes.map((hint) => (
              <li key={hint.text} className={`hint ${hint.tone}`}>
                <Icon name={hint.tone === 'warning' ? 'warning' : 'info'} size={14} />
                {hint.text}
              </li>
            ))}
          </ul>
        ) : null}
        {note ? <p className="composer-note-hint">{t('composer.noteHint')}</p> : null}
        <div className="composer-toolbar">
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-hidden="true"
            tabIndex={-1}
            data-testid="file-input"
            onChange={(event) => {
              if (event.target.files) uploads.add(Array.from(event.target.files));
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="icon-button"
            onClick={() => fileInput.current?.click()}
            aria-label={t('composer.attach')}
            title={t('composer.attachHint')}
          >
            <Icon name="paperclip" size={18} />
          </button>
          <span className="composer-tip">{t('composer.tip')}</span>
          <span className="spacer" />
          {sendError ? (
            <span className="send-error" role="alert">
              {sendError}
            </span>
          ) : null}
          <button
            type="button"
            className={note ? 'button note' : 'button primary'}
            onClick={() => void send()}
            disabled={!canSend}
            title={`${t('composer.send')} (${shortcut})`}
          >
            {sending ? (
              t('composer.sending')
            ) : sendError ? (
              <>
                <Icon name="retry" size={14} />
                {t('composer.retrySend')}
              </>
            ) : (
              <>
                {note ? t('composer.addNote') : t('composer.send')}
                <kbd>{shortcut}</kbd>
              </>
            )}
          </button>
        </div>
      </div>
    </section>
  );
}
