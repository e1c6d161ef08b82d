// Admins: the audit log of what cannot be undone (files deleted or redacted in tickets, API
// tokens revoked), newest first, with who did it and when.
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import { Avatar } from '../ui/avatar.js';

const PAGE = 50;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function describe(t: I18n['t'], entry: AuditEntry): string {
  const name = text(entry.detail.name);
  switch (entry.action) {
    case 'attachment.deleted':
      return t('activity.attachmentDeleted', { name });
    case 'attachment.redacted':
      return t('activity.attachmentRedacted', {
        name,
        count: typeof entry.detail.boxes === 'number' ? entry.detail.boxes : 0,
      });
    case 'api_token.revoked':
      return t('activity.tokenRevoked', { name });
    default:
      return entry.action;
  }
}

export function ActivitySettings() {
  const i18n = useI18n();
  const { t, date } = i18n;
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const query = new URLSearchParams({ limit: String(PAGE), ...(after ? { cursor: after } : {}) });
        const page = await api<{ entries: AuditEntry[]; nextCursor: string | null }>(
          'GET',
          `/api/audit-log?${query.toString()}`,
        );
        setEntries((current) => (after && current ? [...current, ...page.entries] : page.entries));
        setCursor(page.nextCursor);
      } catch (failure) {
        setError(errorText(t, failure));
      } finally {
        setLoading(false);
      }
    },
    [t],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <>
      <header className="settings-header">
        <div>
          <h1>{t('activity.title')}</h1>
          <p className="muted">{t('activity.subtitle')}</p>
        </div>
      </header>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {entries && entries.length === 0 ? (
        <div className="card">
          <p className="muted">{t('activity.none')}</p>
        </div>
      ) : null}
      {entries && entries.length > 0 ? (
        <table className="table activity-table">
          <thead>
            <tr>
              <th scope="col">{t('activity.when')}</th>
              <th scope="col">{t('activity.who')}</th>
              <th scope="col">{t('activity.what')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="muted nowrap">
                  <time dateTime={new Date(entry.createdAt).toISOString()}>
                    {date(entry.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                  </time>
                </td>
                <td>
                  {entry.actor?.name ? (
                    <span className="cell-person">
                      <Avatar name={entry.actor.name} size={24} />
                      {entry.actor.name}
                    </span>
                  ) : (
                    <span className="muted">{t('activity.unknownActor')}</span>
                  )}
                </td>
                <td>{describe(t, entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cursor ? (
        <div className="form-actions">
          <button type="button" className="button" disabled={loading} onClick={() => void load(cursor)}>
            {t('activity.more')}
          </button>
        </div>
      ) : null}
    </>
  );
}
