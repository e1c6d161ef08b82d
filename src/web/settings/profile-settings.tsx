import { useState } from 'react';
import { catalogs, useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { ApiTokensSettings } from './api-tokens-settings.js';

export function ProfileSettings() {
  const { t } = useI18n();
  const session = useSession();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState(false);
  const agent = session.me.agent;

  async function choose(locale: string) {
    setSaving(true);
    setError(false);
    try {
      await session.setLocale(locale || null);
    } catch {
      setError(true);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <header className="settings-header">
        <h1>{t('profile.title')}</h1>
        <p className="muted">{t('profile.subtitle')}</p>
      </header>
      <section className="card">
        <dl className="facts">
          <dt>{t('profile.name')}</dt>
          <dd>{agent.name}</dd>
          <dt>{t('profile.email')}</dt>
          <dd>{agent.email}</dd>
          <dt>{t('profile.role')}</dt>
          <dd>{agent.role === 'admin' ? t('role.admin') : t('role.agent')}</dd>
        </dl>
      </section>
      <section className="card">
        <label className="field">
          <span>{t('profile.language')}</span>
          <select
            value={agent.locale ?? ''}
            disabled={saving}
            onChange={(event) => void choose(event.target.value)}
          >
            <option value="">{t('profile.languageBrowser')}</option>
            {catalogs.map((catalog) => (
              <option key={catalog.locale} value={catalog.locale} lang={catalog.locale}>
                {catalog.name}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">{t('profile.languageHint')}</p>
        {error ? (
          <p className="form-error" role="alert">
            {t('profile.saveFailed')}
          </p>
        ) : null}
      </section>
      <ApiTokensSettings />
    </>
  );
}
