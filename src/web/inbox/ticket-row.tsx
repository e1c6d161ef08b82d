import { memo } from 'react';
import type { Ticket } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { onLinkClick } from '../router.js';
import { Avatar } from '../ui/avatar.js';
import { Icon } from '../ui/icon.js';
import { StatusBadge } from '../ui/status-badge.js';

function TicketRowView({
  ticket,
  selected,
  assigneeName,
  now,
}: {
  ticket: Ticket;
  selected: boolean;
  assigneeName: string | null;
  now: number;
}) {
  const { t, moment, date } = useI18n();
  const channelName = t(`channel.${ticket.channel.kind}`);
  const subject = ticket.subject.replace(/…$/, '');
  const waiting = ticket.lastInboundAt !== null && ticket.lastInboundAt >= ticket.lastMessageAt;
  const showSubject =
    ticket.channel.kind === 'email' && subject !== '' && !ticket.preview.startsWith(subject);
  return (
    <li>
      <a
        href={`/tickets/${ticket.id}`}
        className={selected ? 'ticket-row selected' : 'ticket-row'}
        aria-current={selected ? 'true' : undefined}
        onClick={onLinkClick}
        data-ticket-id={ticket.id}
      >
        <span
          className={`channel-badge ${ticket.channel.kind}`}
          title={`${channelName} · ${ticket.channel.name}`}
        >
          <Icon name={ticket.channel.kind} size={14} label={channelName} />
        </span>
        <span className="ticket-row-body">
          <span className="ticket-row-top">
            <span className="ticket-contact">{ticket.contact.name}</span>
            {waiting ? (
              <span
                className="waiting-dot"
                role="img"
                aria-label={t('inbox.waiting')}
                title={t('inbox.waiting')}
              />
            ) : null}
            <time
              className="ticket-time"
              dateTime={new Date(ticket.lastMessageAt).toISOString()}
              onPointerEnter={(event) => {
                // The full date is built on demand: formatters are costly to make for every row.
                event.currentTarget.title ||= date(ticket.lastMessageAt, {
                  dateStyle: 'full',
                  timeStyle: 'short',
                });
              }}
            >
              {moment(ticket.lastMessageAt, now)}
            </time>
          </span>
          {showSubject ? <span className="ticket-subject">{ticket.subject}</span> : null}
          <span className="ticket-preview">
            {ticket.previewAttachment ? (
              <span className="preview-attachment">
                <Icon name="paperclip" size={13} label={t('inbox.attachment')} />
                <span className="preview-attachment-name">{ticket.previewAttachment.name}</span>
                {ticket.previewAttachment.count > 1 ? (
                  <span className="preview-more">
                    {t('inbox.moreAttachments', { count: ticket.previewAttachment.count - 1 })}
                  </span>
                ) : null}
              </span>
            ) : (
              ticket.preview || <span className="muted">{t('inbox.noPreview')}</span>
            )}
          </span>
          <span className="ticket-row-meta">
            <StatusBadge status={ticket.status} />
            <span className="ticket-number">#{ticket.number}</span>
            <span className="ticket-assignee">
              {assigneeName ? (
                <>
                  <Avatar name={assigneeName} size={18} />
                  <span className="assignee-name">{assigneeName}</span>
                </>
              ) : (
                <span className="muted">{t('inbox.unassigned')}</span>
              )}
            </span>
          </span>
        </span>
      </a>
    </li>
  );
}

export const TicketRow = memo(TicketRowView);
