// One message in the thread: who and when, the text, its media, and for replies the
// delivery status (with the reason and a retry when it failed).
import { memo, useState } from 'react';
import type { Attachment, Message } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { deliveryErrorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { Avatar } from '../ui/avatar.js';
import { Icon, type IconName } from '../ui/icon.js';
import { useSession } from '../session/session.js';
import { ModeratedAttachment } from './moderated-attachment.js';
import { boxLimitFor, isVisual } from './media-size.js';
import { MessageContent, MessageNotes } from './message-content.js';
import { attachmentsBelow } from './message-meta-read.js';
import { useThreadChannel } from './thread-channel.js';

const statusIcon: Record<Message['status'], IconName> = {
  received: 'check',
  queued: 'clock',
  sending: 'clock',
  sent: 'check',
  delivered: 'checks',
  read: 'checks',
  failed: 'alert',
};

function DeliveryStatus({ message, onChanged }: { message: Message; onChanged(message: Message): void }) {
  const { t } = useI18n();
  const channel = useThreadChannel();
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState(false);
  if (message.status === 'failed') {
    async function retry() {
      setRetrying(true);
      setRetryError(false);
      try {
        onChanged(await api<Message>('POST', `/api/messages/${message.id}/retry`));
      } catch {
        setRetryError(true);
      } finally {
        setRetrying(false);
      }
    }
    return (
      <span className="delivery failed" role="status">
        <Icon name="alert" size={14} />
        <span>{t('delivery.failedBecause', { reason: deliveryErrorText(t, message, channel) })}</span>
        <button type="button" className="link-button" onClick={() => void retry()} disabled={retrying}>
          {retrying ? t('delivery.retrying') : t('delivery.retry')}
        </button>
        {retryError ? <span>{t('delivery.retryFailed')}</span> : null}
      </span>
    );
  }
  return (
    <span className={`delivery ${message.status}`} data-status={message.status}>
      <Icon name={statusIcon[message.status]} size={14} />
      <span>{t(`delivery.${message.status}`)}</span>
    </span>
  );
}

function MessageItemView({
  message,
  grouped,
  contactName,
  onOpen,
  onChanged,
  onAttachmentChanged,
}: {
  message: Message;
  /** Follows a message of the same author closely: no header. */
  grouped: boolean;
  contactName: string;
  onOpen(attachment: Attachment): void;
  onChanged(message: Message): void;
  onAttachmentChanged(attachment: Attachment): void;
}) {
  const { t, time, date } = useI18n();
  const admin = useSession().me.agent.role === 'admin';
  const inbound = message.direction === 'inbound';
  const automatic = !inbound && !message.author && message.meta.acknowledgement === true;
  const author =
    message.author?.name ??
    (inbound ? contactName : automatic ? t('thread.automaticReply') : t('thread.you'));
  const side = message.note ? 'note' : inbound ? 'inbound' : 'outbound';
  const deleted = message.meta.deletedByCustomer === true;
  const attachments = attachmentsBelow(message);
  const maxBox = boxLimitFor(attachments.filter(isVisual).length);
  const when = (
    <time
      dateTime={new Date(message.createdAt).toISOString()}
      onPointerEnter={(event) => {
        event.currentTarget.title ||= date(message.createdAt, { dateStyle: 'full', timeStyle: 'short' });
      }}
    >
      {time(message.createdAt)}
    </time>
  );
  return (
    <article
      className={`message ${side}${grouped ? ' grouped' : ''}${message.status === 'failed' ? ' failed' : ''}`}
      data-message-id={message.id}
      aria-label={t(message.note ? 'thread.noteBy' : 'thread.messageFrom', { name: author })}
    >
      {!grouped ? (
        <header className="message-header">
          {automatic ? (
            <span className="avatar automatic" aria-hidden="true">
              <Icon name="sparkle" size={13} />
            </span>
          ) : (
            <Avatar name={author} size={24} />
          )}
          <span className="message-author">{author}</span>
          {message.note ? (
            <span className="note-tag">
              <Icon name="lock" size={12} />
              {t('thread.internalNote')}
            </span>
          ) : null}
          <span className="message-time">{when}</span>
        </header>
      ) : null}
      <div className="message-body">
        <MessageContent message={message} author={author} />
        {attachments.length ? (
          <div className="message-media">
            {attachments.map((attachment) => (
              <ModeratedAttachment
                key={attachment.id}
                attachment={attachment}
                retryable={inbound}
                admin={admin}
                onOpen={onOpen}
                onChanged={onAttachmentChanged}
                maxBox={maxBox}
              />
            ))}
          </div>
        ) : null}
        <MessageNotes message={message} />
        {deleted ? <div className="message-deleted">{t('thread.deletedByCustomer')}</div> : null}
        {message.meta.sentOutsideHelpdesk === true ? (
          <div className="message-deleted">{t('thread.sentOutside')}</div>
        ) : null}
      </div>
      {!inbound && !message.note ? (
        <footer className="message-footer">
          {grouped ? <span className="message-time">{when}</span> : null}
          <DeliveryStatus message={message} onChanged={onChanged} />
        </footer>
      ) : null}
    </article>
  );
}

export const MessageItem = memo(MessageItemView);
