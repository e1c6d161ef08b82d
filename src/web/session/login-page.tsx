import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';

export function LoginPage({
  onSignIn,
  expired,
}: {
  onSignIn(email: string, password: string): Promise<void>;
  expired: boolean;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(email, password);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 401 || failure.status === 400))
        setError(t('login.invalid'));
      else if (failure instanceof ApiError && failure.status === 429) setError(t('login.tooMany'));
      else setError(t('login.unreachable'));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <div className="brand large">
          <span className="brand-mark" aria-hidden="true" />
          Switchboard
        </div>
        <h1 id={`${id}-title`}>{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {expired ? <p className="notice">{t('login.expired')}</p> : null}
        <label className="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
