// An e-mail's sanitized HTML, in a sandboxed frame that runs no script: inline images from
// the message's attachments, remote images only when the agent asks, the quoted history
// folded. The frame takes the height of its content (measured from here: it runs nothing).
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Attachment } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import { emailDocument } from './email-document.js';
import type { EmailView } from './message-meta-read.js';

/**
 * No `allow-scripts`: nothing in the mail runs (the CSP says so too). `allow-same-origin`
 * lets the app read the content's height and lets inline images load with the session;
 * links open in a new, unsandboxed tab.
 */
export const EMAIL_SANDBOX = 'allow-same-origin allow-popups allow-popups-to-escape-sandbox';

// Rows of the thread are unmounted when scrolled away: keep what the agent chose and the
// measured height, so a message comes back as it was, without a jump.
const remoteLoaded = new Set<string>();
const quotedOpen = new Set<string>();
const heights = new Map<string, number>();

const toggle = (set: Set<string>, id: string, on: boolean) => (on ? set.add(id) : set.delete(id));

function useFrameHeight(frame: RefObject<HTMLIFrameElement | null>, key: string) {
  const [height, setHeight] = useState(() => heights.get(key) ?? 120);
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => () => observer.current?.disconnect(), []);
  const measure = () => {
    const document = frame.current?.contentDocument;
    const root = document?.getElementById('sb-root');
    if (!document || !root) return;
    const scrollbar = document.documentElement.scrollWidth > document.documentElement.clientWidth ? 16 : 0;
    const next = Math.ceil(root.getBoundingClientRect().height) + scrollbar;
    heights.set(key, next);
    setHeight(next);
  };
  const onLoad = () => {
    observer.current?.disconnect();
    const root = frame.current?.contentDocument?.getElementById('sb-root');
    if (root) {
      observer.current = new ResizeObserver(measure);
      observer.current.observe(root);
    }
    measure();
  };
  return { height, onLoad };
}

export function EmailBody({
  messageId,
  email,
  attachments,
  title,
}: {
  messageId: string;
  email: EmailView & { html: string };
  attachments: Attachment[];
  title: string;
}) {
  const { t } = useI18n();
  const [loadRemote, setLoadRemote] = useState(() => remoteLoaded.has(messageId));
  const [showQuoted, setShowQuoted] = useState(() => quotedOpen.has(messageId));
  const frame = useRef<HTMLIFrameElement>(null);
  const key = `${messageId}:${showQuoted ? 1 : 0}:${loadRemote ? 1 : 0}`;
  const { height, onLoad } = useFrameHeight(frame, key);
  const urls = attachments.map((attachment) => attachment.url);
  const urlKey = urls.join('\n');
  const srcDoc = useMemo(
    () =>
      emailDocument({
        html: email.html,
        quotedHtml: showQuoted ? email.quotedHtml : null,
        attachmentUrls: urlKey.split('\n').map((url) => url || null),
        loadRemote,
        appOrigin: window.location.origin,
      }),
    [email.html, email.quotedHtml, showQuoted, loadRemote, urlKey],
  );
  return (
    <div className="email-card">
      {email.remoteImagesBlocked > 0 && !loadRemote ? (
        <div className="email-remote-bar">
          <Icon name="eyeOff" size={14} />
          <span>{t('email.remoteHidden')}</span>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              toggle(remoteLoaded, messageId, true);
              setLoadRemote(true);
            }}
          >
            {t('email.loadRemote', { count: email.remoteImagesBlocked })}
          </button>
        </div>
      ) : null}
      <iframe
        ref={frame}
        className="email-frame"
        title={title}
        sandbox={EMAIL_SANDBOX}
        srcDoc={srcDoc}
        referrerPolicy="no-referrer"
        style={{ height }}
        onLoad={onLoad}
      />
      {email.quotedHtml ? (
        <QuotedToggle
          open={showQuoted}
          onToggle={() => {
            toggle(quotedOpen, messageId, !showQuoted);
            setShowQuoted(!showQuoted);
          }}
        />
      ) : null}
    </div>
  );
}

function QuotedToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="quoted-toggle" aria-expanded={open} onClick={onToggle}>
      <Icon name="more" size={16} />
      <span>{t(open ? 'email.hideQuoted' : 'email.showQuoted')}</span>
    </button>
  );
}

/** The quoted history of a text-only e-mail, folded under its new words. */
export function QuotedText({ messageId, text }: { messageId: string; text: string }) {
  const [open, setOpen] = useState(() => quotedOpen.has(messageId));
  return (
    <div className="quoted-text-block">
      <QuotedToggle
        open={open}
        onToggle={() => {
          toggle(quotedOpen, messageId, !open);
          setOpen(!open);
        }}
      />
      {open ? <div className="quoted-text">{text}</div> : null}
    </div>
  );
}
