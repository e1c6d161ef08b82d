// Who the customer is: name, how they reach us on each channel, and their other tickets.
import { useEffect, useState } from 'react';
import type { Contact, Ticket } from '../../shared/api-schemas.js';
import { get, query } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { onLinkClick } from '../router.js';
import { Avatar } from '../ui/avatar.js';
import { Icon } from '../ui/icon.js';
import { StatusBadge } from '../ui/status-badge.js';

export function ContactPanel({ ticket }: { ticket: Ticket }) {
  const { t, moment, date } = useI18n();
  const [contact, setContact] = useState<Contact | null>(null);
  const [others, setOthers] = useState<Ticket[] | null>(null);
  const [failed, setFailed] = useState(false);
  const contactId = ticket.contact.id;

  useEffect(() => {
    let cancelled = false;
    setFailed(false);
    Promise.all([
      get<Contact>(`/api/contacts/${contactId}`),
      get<{ tickets: Ticket[] }>(`/api/tickets${query({ contactId, limit: 20 })}`),
    ])
      .then(([value, list]) => {
        if (cancelled) return;
        setContact(value);
        setOthers(list.tickets.filter((item) => item.id !== ticket.id));
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [contactId, ticket.id]);

  return (
    <aside className="contact-panel" aria-label={t('contact.title')}>
      <div className="contact-head">
        <Avatar name={ticket.contact.name} size={44} />
        <div>
          <h3>{contact?.name ?? ticket.contact.name}</h3>
          {contact ? (
            <p className="muted small">{t('contact.since', { date: date(contact.createdAt) })}</p>
          ) : null}
        </div>
      </div>
      {failed ? <p className="muted">{t('contact.loadError')}</p> : null}
      {contact ? (
        <>
          <section className="panel-section">
            <h4>{t('contact.identities')}</h4>
            <ul className="identity-list">
              {contact.email ? (
                <li>
                  <Icon name="email" size={14} />
                  <span className="identity-value">{contact.email}</span>
                </li>
              ) : null}
              {contact.phone ? (
                <li>
                  <Icon name="sms" size={14} />
                  <span className="identity-value">{contact.phone}</span>
                </li>
              ) : null}
              {contact.identities.map((identity) => (
                <li key={`${identity.channelId}:${identity.externalId}`}>
                  <Icon name={identity.channelKind} size={14} label={t(`channel.${identity.channelKind}`)} />
                  <span className="identity-text">
                    <span className="identity-value">{identity.externalId}</span>
                    <span className="muted small">{identity.channelName}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel-section">
            <h4>{t('contact.otherTickets')}</h4>
            {others && others.length ? (
              <ul className="mini-tickets">
                {others.map((other) => (
                  <li key={other.id}>
                    <a href={`/tickets/${other.id}`} onClick={onLinkClick}>
                      <span className="mini-ticket-subject">{other.subject || `#${other.number}`}</span>
                      <span className="mini-ticket-meta">
                        <StatusBadge status={other.status} />
                        <span>{moment(other.lastMessageAt)}</span>
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            ) : others ? (
              <p className="muted small">{t('contact.noOtherTickets')}</p>
            ) : null}
          </section>
        </>
      ) : !failed ? (
        <span className="spinner" aria-hidden="true" />
      ) : null}
    </aside>
  );
}
