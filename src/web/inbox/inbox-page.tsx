// The inbox: the ticket list with its filters on the left, the open ticket beside it.
import { useEffect, useRef, useState } from 'react';
import type { TicketStatus } from '../../shared/api-schemas.js';
import { ticketStatuses } from '../ui/constants.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { TicketView } from '../ticket/ticket-view.js';
import { Icon } from '../ui/icon.js';
import { TicketRow } from './ticket-row.js';
import { defaultFilters, useTicketList, type TicketFilters } from './use-ticket-list.js';

function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export function InboxPage({ ticketId }: { ticketId: string | null }) {
  const { t } = useI18n();
  const session = useSession();
  const [status, setStatus] = useState<TicketStatus | ''>(defaultFilters.status);
  const [channelId, setChannelId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const filters: TicketFilters = { status, channelId, assigneeId, q };
  const list = useTicketList(filters);
  const now = useNow();
  const sentinel = useRef<HTMLLIElement>(null);
  const loadMore = useRef(list.loadMore);
  loadMore.current = list.loadMore;

  useEffect(() => {
    const target = sentinel.current;
    if (!target) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore.current();
      },
      { rootMargin: '400px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
    // A new observer after each page: one whose sentinel stayed in view would not fire again.
  }, [list.hasMore, list.tickets.length]);

  useEffect(() => {
    if (!ticketId) document.title = `${t('inbox.title')} · Switchboard`;
  }, [ticketId, t]);

  const filtered = status !== 'open' || channelId !== '' || assigneeId !== '' || q !== '';
  const clearFilters = () => {
    setStatus('open');
    setChannelId('');
    setAssigneeId('');
    setSearch('');
  };

  return (
    <div className={ticketId ? 'inbox has-ticket' : 'inbox'}>
      <section className="ticket-list-pane" aria-labelledby="inbox-title">
        <header className="pane-header">
          <h1 id="inbox-title">{t('inbox.title')}</h1>
          <label className="select-field status-filter">
            <span className="visually-hidden">{t('inbox.filterStatus')}</span>
            <select value={status} onChange={(event) => setStatus(event.target.value as TicketStatus | '')}>
              <option value="">{t('inbox.allStatuses')}</option>
              {ticketStatuses.map((value) => (
                <option key={value} value={value}>
                  {t(`status.${value}`)}
                </option>
              ))}
            </select>
          </label>
        </header>
        <div className="inbox-filters">
          <label className="search-field">
            <Icon name="search" />
            <span className="visually-hidden">{t('inbox.search')}</span>
            <input
              type="search"
              placeholder={t('inbox.searchPlaceholder')}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </label>
          <div className="filter-row">
            <label className="select-field">
              <span className="visually-hidden">{t('inbox.filterChannel')}</span>
              <select value={channelId} onChange={(event) => setChannelId(event.target.value)}>
                <option value="">{t('inbox.allChannels')}</option>
                {session.channels.map((channel) => (
                  <option key={channel.id} value={channel.id}>
                    {channel.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="select-field">
              <span className="visually-hidden">{t('inbox.filterAssignee')}</span>
              <select value={assigneeId} onChange={(event) => setAssigneeId(event.target.value)}>
                <option value="">{t('inbox.anyone')}</option>
                <option value={session.me.agent.id}>{t('inbox.assignedToMe')}</option>
                <option value="none">{t('inbox.unassigned')}</option>
                {session.agents
                  .filter((agent) => agent.id !== session.me.agent.id)
                  .map((agent) => (
                    <option key={agent.id} value={agent.id}>
                      {agent.name}
                    </option>
                  ))}
              </select>
            </label>
          </div>
        </div>
        <ul className="ticket-list" aria-label={t('inbox.listLabel')} aria-busy={list.loading}>
          {list.tickets.map((ticket) => (
            <TicketRow
              key={ticket.id}
              ticket={ticket}
              selected={ticket.id === ticketId}
              assigneeName={session.agentName(ticket.assigneeId)}
              now={now}
            />
          ))}
          {list.error ? (
            <li className="list-message error" role="alert">
              <p>{t('inbox.loadError')}</p>
              <button type="button" className="button small" onClick={list.reload}>
                {t('common.tryAgain')}
              </button>
            </li>
          ) : !list.loading && list.tickets.length === 0 ? (
            <li className="list-message">
              <Icon name="inbox" size={28} />
              <p className="list-message-title">{filtered ? t('inbox.emptyFiltered') : t('inbox.empty')}</p>
              <p className="muted">{filtered ? t('inbox.emptyFilteredHint') : t('inbox.emptyHint')}</p>
              {filtered ? (
                <button type="button" className="button small" onClick={clearFilters}>
                  {t('inbox.clearFilters')}
                </button>
              ) : null}
            </li>
          ) : null}
          {list.loading ? (
            <li className="list-message" role="status">
              <span className="spinner" aria-hidden="true" />{' '}
              <span className="visually-hidden">{t('common.loading')}</span>
            </li>
          ) : null}
          <li ref={sentinel} className="sentinel" aria-hidden="true" />
        </ul>
      </section>
      {ticketId ? (
        <TicketView key={ticketId} ticketId={ticketId} />
      ) : (
        <section className="ticket-pane empty">
          <div className="empty-state">
            <Icon name="inbox" size={32} />
            <h2>{t('inbox.noTicketTitle')}</h2>
            <p className="muted">{t('inbox.noTicketHint')}</p>
          </div>
        </section>
      )}
    </div>
  );
}
