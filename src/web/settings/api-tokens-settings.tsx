// API tokens on the profile page: make one for an integration (shown once, to copy), see when
// each was last used, and revoke any at once. Admins see every agent's tokens, so that a leaked
// one can be stopped without its owner.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApiToken } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { errorText, type FieldLabels } from '../i18n/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { CopyField } from './copy-field.js';

const tokenLabels: FieldLabels = { name: 'tokens.name' };

function NewTokenForm({ onCreated }: { onCreated(secret: string): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api<{ id: string; token: string }>('POST', '/api/tokens', { name });
      setName('');
      onCreated(created.token);
    } catch (failure) {
      setError(errorText(t, failure, tokenLabels));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="token-form" onSubmit={submit}>
      <label className="field">
        <span>{t('tokens.name')}</span>
        <input
          required
          maxLength={80}
          value={name}
          placeholder={t('tokens.namePlaceholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <button type="submit" className="button primary" disabled={busy || !name.trim()}>
        {t('tokens.create')}
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function ApiTokensSettings() {
  const { t, date, moment } = useI18n();
  const session = useSession();
  const me = session.me.agent;
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setTokens((await api<{ tokens: ApiToken[] }>('GET', '/api/tokens')).tokens);
      setLoadError(null);
    } catch (failure) {
      setLoadError(errorText(t, failure));
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(token: ApiToken) {
    setBusy(true);
    setRevokeError(null);
    try {
      await api('DELETE', `/api/tokens/${token.id}`);
      setRevoking(null);
      await load();
    } catch (failure) {
      setRevokeError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  }

  const showOwner = tokens?.some((token) => token.agentId !== me.id) ?? false;
  return (
    <section className="card api-tokens" aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">{t('tokens.title')}</h2>
      <p className="muted small">{t(me.role === 'admin' ? 'tokens.subtitleAdmin' : 'tokens.subtitle')}</p>
      <NewTokenForm
        onCreated={(created) => {
          setSecret(created);
          void load();
        }}
      />
      {secret ? (
        <div className="token-secret" role="status">
          <p>
            <strong>{t('tokens.copyNow')}</strong> {t('tokens.copyNowHint')}
          </p>
          <CopyField value={secret} label={t('tokens.secretLabel')} />
          <button type="button" className="button small" onClick={() => setSecret(null)}>
            {t('tokens.done')}
          </button>
        </div>
      ) : null}
      {loadError ? (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      ) : null}
      {tokens && tokens.length === 0 ? <p className="muted small">{t('tokens.none')}</p> : null}
      {tokens && tokens.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              {showOwner ? <th scope="col">{t('tokens.owner')}</th> : null}
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">{t('tokens.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                {showOwner ? (
                  <td className="muted">{token.agentId === me.id ? t('tokens.you') : token.agentName}</td>
                ) : null}
                <td className="muted">{date(token.createdAt)}</td>
                <td className="muted">{token.lastUsedAt ? moment(token.lastUsedAt) : t('tokens.never')}</td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button small danger-quiet"
                    aria-label={t('tokens.revokeLabel', { name: token.name })}
                    onClick={() => setRevoking(token)}
                  >
                    {t('tokens.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          danger
          title={t('tokens.revokeTitle', { name: revoking.name })}
          confirmLabel={t('tokens.revokeConfirm')}
          busy={busy}
          error={revokeError}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => {
            setRevoking(null);
            setRevokeError(null);
          }}
        >
          <p>{t('tokens.revokeBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
