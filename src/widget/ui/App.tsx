/** @jsxImportSource preact */
// The widget on the page: the bubble, the panel (header, thread, composer, drop zone) and the
// full-size viewer.
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { VisitorAttachment } from '../../shared/webchat-api.js';
import { textOn } from '../color.js';
import { pickLocalized } from '../i18n/index.js';
import { findAttachment, viewableImages } from '../thread.js';
import { useChat, type ChatDeps } from '../use-chat.js';
import type { AttachmentActions } from './Attachments.js';
import { Composer, limitsText } from './Composer.js';
import { ContactCard } from './ContactCard.js';
import { Icon } from './icons.js';
import { Thread } from './Thread.js';
import { Viewer } from './Viewer.js';

export interface AppProps extends ChatDeps {
  /** Lets the host page open and close the chat (window.SwitchboardChat). */
  control: { open?: (value: boolean) => void };
}

function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function App(props: AppProps): JSX.Element {
  const { config, t, language } = props;
  const chat = useChat(props);
  const [viewing, setViewing] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  useEffect(() => {
    props.control.open = chat.setOpen;
  }, [chat.setOpen, props.control]);

  const title = pickLocalized(config.title, language, config.locale) ?? t.defaultTitle;
  const greeting = pickLocalized(config.greeting, language, config.locale) ?? t.defaultGreeting;

  const download = useCallback(
    (attachment: VisitorAttachment) => {
      void chat
        .fresh(attachment)
        .then((current) => current.downloadUrl && startDownload(current.downloadUrl))
        .catch(() => chat.say(t.genericError));
    },
    [chat.fresh, chat.say, t],
  );
  const open = useCallback(
    (attachment: VisitorAttachment) => {
      if (attachment.kind !== 'image') return download(attachment);
      setViewing(attachment.id);
      void chat.fresh(attachment).catch(() => undefined);
    },
    [chat.fresh, download],
  );
  const actions: AttachmentActions = useMemo(
    () => ({ t, language, previews: chat.thread.previews, onOpen: open, onDownload: download }),
    [t, language, chat.thread.previews, open, download],
  );

  const images = viewableImages(chat.thread);
  const viewed = viewing ? findAttachment(chat.thread, viewing) : null;
  const index = viewed ? images.findIndex((image) => image.id === viewed.id) : -1;
  const step = useCallback(
    (delta: number) => {
      if (images.length < 2 || index < 0) return;
      const next = images[(index + delta + images.length) % images.length];
      if (next) open(next);
    },
    [images, index, open],
  );
  const closeViewer = useCallback(() => setViewing(null), []);

  const style = { '--sb-brand': config.color, '--sb-on-brand': textOn(config.color) } as JSX.CSSProperties;
  return (
    <div class="sb-root" style={style} data-open={chat.open ? 'true' : 'false'}>
      {chat.open && (
        <section
          class="sb-panel"
          role="dialog"
          aria-label={title}
          onDragEnter={(event) => {
            if (!event.dataTransfer?.types.includes('Files')) return;
            dragDepth.current += 1;
            setDragging(true);
          }}
          onDragOver={(event) => {
            if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
          }}
          onDragLeave={() => {
            dragDepth.current = Math.max(0, dragDepth.current - 1);
            if (dragDepth.current === 0) setDragging(false);
          }}
          onDrop={(event) => {
            event.preventDefault();
            dragDepth.current = 0;
            setDragging(false);
            const dropped = Array.from(event.dataTransfer?.files ?? []);
            if (dropped.length) chat.addFiles(dropped);
          }}
        >
          <header class="sb-header">
            <div class="sb-avatar" aria-hidden="true">
              {title.trim().charAt(0).toUpperCase()}
            </div>
            <div class="sb-heading">
              <div class="sb-title">{title}</div>
              <div class="sb-subtitle">
                {chat.live === 'offline' && chat.hasVisitor ? t.reconnecting : t.subtitle}
              </div>
            </div>
            <button
              type="button"
              class="sb-icon-button sb-close"
              onClick={() => chat.setOpen(false)}
              aria-label={t.closeChat}
              title={t.closeChat}
            >
              <Icon name="down" />
            </button>
          </header>
          <Thread
            thread={chat.thread}
            greeting={greeting}
            title={title}
            t={t}
            language={language}
            actions={actions}
            hasOlder={chat.nextCursor !== null}
            onLoadOlder={() => void chat.loadOlder()}
            onRetry={chat.retry}
            footer={
              chat.askContact ? (
                <ContactCard t={t} onDone={(details) => void chat.saveContact(details)} />
              ) : null
            }
          />
          {chat.notice && (
            <div class="sb-notice" role="status">
              <Icon name="alert" size={16} />
              <span>{chat.notice}</span>
              <button
                type="button"
                class="sb-icon-button"
                onClick={() => chat.say(null)}
                aria-label={t.close}
              >
                <Icon name="close" size={14} />
              </button>
            </div>
          )}
          <Composer
            t={t}
            language={language}
            limits={config.limits}
            files={chat.draftFiles}
            focusKey={chat.open}
            onFiles={chat.addFiles}
            onRemove={chat.removeDraft}
            onSend={chat.send}
          />
          <div class="sb-brandline">{t.poweredBy}</div>
          {dragging && (
            <div class="sb-drop">
              <div class="sb-drop-inner">
                <Icon name="clip" size={28} />
                <strong>{t.dropHere}</strong>
                <span>{limitsText(config.limits, t, language)}</span>
                <span>{t.perMessage(config.limits.perMessage)}</span>
              </div>
            </div>
          )}
        </section>
      )}
      <button
        type="button"
        class="sb-launcher"
        onClick={() => chat.setOpen(!chat.open)}
        aria-label={chat.open ? t.closeChat : t.openChat}
        aria-expanded={chat.open}
        title={chat.open ? t.closeChat : t.openChat}
      >
        <span class="sb-launcher-icon">
          <Icon name={chat.open ? 'close' : 'chat'} size={chat.open ? 24 : 28} filled={!chat.open} />
        </span>
        {!chat.open && chat.unread > 0 && (
          <span class="sb-unread">{chat.unread > 9 ? '9+' : chat.unread}</span>
        )}
      </button>
      {viewed && (
        <Viewer
          attachment={viewed}
          placeholder={chat.thread.previews[viewed.id] ?? viewed.thumbnailUrl}
          index={Math.max(0, index)}
          total={images.length}
          t={t}
          onClose={closeViewer}
          onStep={step}
          onDownload={download}
        />
      )}
    </div>
  );
}
