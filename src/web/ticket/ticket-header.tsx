// The ticket's title and the actions on it: status, assignee, and the contact panel toggle.
import { useState } from 'react';
import type { Ticket, TicketStatus } from '../../shared/api-schemas.js';
import { ticketStatuses } from '../ui/constants.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/error-text.js';
import { useSession } from '../session/session.js';
import { Icon } from '../ui/icon.js';

export function TicketHeader({
  ticket,
  onUpdate,
  contactOpen,
  onToggleContact,
}: {
  ticket: Ticket;
  onUpdate(change: { status?: TicketStatus; assigneeId?: string | null }): Promise<void>;
  contactOpen: boolean;
  onToggleContact(): void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = ticket.assigneeId === session.me.agent.id;

  async function change(value: { status?: TicketStatus; assigneeId?: string | null }) {
    setBusy(true);
    setError(null);
    try {
      await onUpdate(value);
    } catch (failure) {
      setError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <header className="ticket-header">
      <div className="ticket-title">
        <h2>{ticket.subject || t('ticket.noSubject')}</h2>
        <p className="ticket-subtitle">
          <span className={`channel-badge small ${ticket.channel.kind}`}>
            <Icon name={ticket.channel.kind} size={12} />
          </span>
          <span>{ticket.contact.name}</span>
          <span aria-hidden="true">·</span>
          <span>{ticket.channel.name}</span>
          <span aria-hidden="true">·</span>
          <span>#{ticket.number}</span>
        </p>
      </div>
      <div className="ticket-actions">
        {error ? (
          <span className="send-error" role="alert">
            {t('ticket.updateFailed')}
          </span>
        ) : null}
        <label className="select-field compact">
          <span className="visually-hidden">{t('ticket.status')}</span>
          <select
            value={ticket.status}
            disabled={busy}
            onChange={(event) => void change({ status: event.target.value as TicketStatus })}
            className={`status-select ${ticket.status}`}
          >
            {ticketStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="select-field compact">
          <span className="visually-hidden">{t('ticket.assignee')}</span>
          <select
            value={ticket.assigneeId ?? ''}
            disabled={busy}
            onChange={(event) => void change({ assigneeId: event.target.value || null })}
          >
            <option value="">{t('ticket.unassigned')}</option>
            {session.agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.id === session.me.agent.id ? t('ticket.meName', { name: agent.name }) : agent.name}
              </option>
            ))}
          </select>
        </label>
        {!mine ? (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => void change({ assigneeId: session.me.agent.id })}
          >
            {t('ticket.assignToMe')}
          </button>
        ) : null}
        <button
          type="button"
          className={contactOpen ? 'icon-button active' : 'icon-button'}
          onClick={onToggleContact}
          aria-pressed={contactOpen}
          aria-label={t('ticket.contactPanel')}
          title={t('ticket.contactPanel')}
        >
          <Icon name="sidebar" size={18} />
        </button>
      </div>
    </header>
  );
}
