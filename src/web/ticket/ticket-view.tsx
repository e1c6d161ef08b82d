// An open ticket: header with actions, the thread, the reply box, the contact panel, the
// media viewer, and files dropped anywhere on it.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Attachment, Message } from '../../shared/api-schemas.js';
import { Composer } from '../composer/composer.js';
import { useUploads } from '../composer/use-uploads.js';
import { useI18n } from '../i18n/i18n.js';
import { ThreadChannel } from '../thread/thread-channel.js';
import { useComposerRedaction } from '../redaction/composer-redaction.js';
import { displayed } from '../thread/attachment-removal.js';
import { ThreadList } from '../thread/thread-list.js';
import { useThread } from '../thread/use-thread.js';
import { Icon } from '../ui/icon.js';
import { Lightbox, type ViewerItem } from '../viewer/lightbox.js';
import { ContactPanel } from './contact-panel.js';
import { TicketHeader } from './ticket-header.js';
import { useTicket } from './use-ticket.js';

const CONTACT_PANEL_KEY = 'switchboard.contactPanel';

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

export function TicketView({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { ticket, error, update } = useTicket(ticketId);
  const thread = useThread(ticketId);
  const uploads = useUploads();
  const redaction = useComposerRedaction(uploads);
  const [viewing, setViewing] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [followToken, setFollowToken] = useState(0);
  const onSent = useCallback(
    (message: Message) => {
      thread.upsert(message);
      setFollowToken((value) => value + 1);
    },
    [thread.upsert],
  );
  const dragDepth = useRef(0);
  const [contactOpen, setContactOpen] = useState(() => {
    const stored = localStorage.getItem(CONTACT_PANEL_KEY);
    return stored === null ? window.innerWidth >= 1560 : stored === '1';
  });

  const contactName = ticket?.contact.name ?? '';
  const title = ticket ? `${ticket.subject || contactName} · Switchboard` : null;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
  const media = useMemo<ViewerItem[]>(() => {
    const list: ViewerItem[] = [];
    for (const message of thread.messages) {
      for (const attachment of message.attachments) {
        if (
          (attachment.kind === 'image' || attachment.kind === 'video') &&
          attachment.state === 'ready' &&
          attachment.url
        )
          list.push({
            attachment: displayed(attachment),
            at: message.createdAt,
            author: message.author?.name ?? (message.direction === 'inbound' ? contactName : ''),
          });
      }
    }
    return list;
  }, [thread.messages, contactName]);
  const viewIndex = viewing ? media.findIndex((item) => item.attachment.id === viewing) : -1;

  const open = useCallback((attachment: Attachment) => setViewing(attachment.id), []);

  const toggleContact = () =>
    setContactOpen((value) => {
      localStorage.setItem(CONTACT_PANEL_KEY, value ? '0' : '1');
      return !value;
    });

  if (error) {
    return (
      <section className="ticket-pane empty">
        <div className="empty-state">
          <Icon name="warning" size={28} />
          <h2>{error.status === 404 ? t('ticket.notFound') : t('ticket.loadError')}</h2>
          <p className="muted">
            {error.status === 404 ? t('ticket.notFoundHint') : t('ticket.loadErrorHint')}
          </p>
        </div>
      </section>
    );
  }

  return (
    <section
      className={contactOpen ? 'ticket-pane with-panel' : 'ticket-pane'}
      aria-label={ticket ? t('ticket.label', { number: ticket.number }) : t('common.loading')}
      onDragEnter={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        dragDepth.current += 1;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        uploads.add(Array.from(event.dataTransfer.files));
      }}
    >
      <div className="ticket-main">
        {ticket ? (
          <TicketHeader
            ticket={ticket}
            onUpdate={update}
            contactOpen={contactOpen}
            onToggleContact={toggleContact}
          />
        ) : (
          <div className="ticket-header placeholder" />
        )}
        {thread.error && thread.messages.length === 0 ? (
          <div className="empty-state grow">
            <Icon name="warning" size={28} />
            <h2>{t('thread.loadError')}</h2>
            <button type="button" className="button" onClick={thread.reload}>
              {t('common.tryAgain')}
            </button>
          </div>
        ) : thread.loading ? (
          <div className="thread-scroll loading" role="status">
            <span className="spinner" aria-hidden="true" />
            <span className="visually-hidden">{t('common.loading')}</span>
          </div>
        ) : thread.messages.length === 0 ? (
          <div className="empty-state grow">
            <h2>{t('thread.empty')}</h2>
          </div>
        ) : (
          <ThreadChannel value={ticket?.channel.kind ?? null}>
            <ThreadList thread={thread} contactName={contactName} onOpen={open} followToken={followToken} />
          </ThreadChannel>
        )}
        {ticket ? (
          <Composer
            ticket={ticket}
            uploads={uploads}
            onSent={onSent}
            chipActions={redaction.chipActions}
            notices={redaction.notices}
          />
        ) : null}
        {redaction.editor}
        {dragging ? (
          <div className="drop-overlay" aria-hidden="true">
            <div className="drop-target">
              <Icon name="paperclip" size={28} />
              <span>{t('composer.dropHere')}</span>
            </div>
          </div>
        ) : null}
      </div>
      {ticket && contactOpen ? <ContactPanel ticket={ticket} /> : null}
      {viewIndex >= 0 ? (
        <Lightbox
          items={media}
          index={viewIndex}
          onIndex={(index) => setViewing(media[index]?.attachment.id ?? null)}
          onClose={() => setViewing(null)}
          {...(thread.hasOlder ? { onNeedOlder: () => void thread.loadOlder() } : {})}
        />
      ) : null}
    </section>
  );
}
