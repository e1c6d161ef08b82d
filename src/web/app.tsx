// The root: picks the language, waits for the session, and shows the sign-in screen or the
// signed-in shell.
import { useEffect, useMemo } from 'react';
import { I18nProvider, pickCatalog, useI18n } from './i18n/i18n.js';
import { navigate, parseRoute, usePath } from './router.js';
import { LoginPage } from './session/login-page.js';
import { SessionProvider, useSessionState } from './session/session.js';
import { Shell } from './shell.js';

const NEXT_KEY = 'switchboard.next';

export function App() {
  const { state, signIn } = useSessionState();
  const profileLocale = state.status === 'signed-in' ? state.session.me.agent.locale : null;
  const catalog = useMemo(() => pickCatalog([profileLocale, ...navigator.languages]), [profileLocale]);
  const path = usePath();
  const route = parseRoute(path);

  useEffect(() => {
    document.documentElement.lang = catalog.locale;
  }, [catalog]);

  useEffect(() => {
    if (state.status === 'signed-out' && route.name !== 'login') {
      // Come back to the page that was asked for once signed in.
      sessionStorage.setItem(NEXT_KEY, location.pathname);
      navigate('/login', { replace: true });
    }
    if (state.status === 'signed-in' && route.name === 'login') {
      const next = sessionStorage.getItem(NEXT_KEY);
      sessionStorage.removeItem(NEXT_KEY);
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [state.status, route.name]);

  return (
    <I18nProvider catalog={catalog}>
      {state.status === 'loading' ? (
        <Splash />
      ) : state.status === 'error' ? (
        <StartupError message={state.error} />
      ) : state.status === 'signed-out' || route.name === 'login' ? (
        <LoginPage onSignIn={signIn} expired={state.status === 'signed-out' && state.reason === 'expired'} />
      ) : (
        <SessionProvider value={state.session}>
          <Shell route={route} />
        </SessionProvider>
      )}
    </I18nProvider>
  );
}

function Splash() {
  const { t } = useI18n();
  return (
    <div className="splash" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{t('common.loading')}</span>
    </div>
  );
}

function StartupError({ message }: { message: string }) {
  const { t } = useI18n();
  return (
    <div className="splash">
      <div className="empty-state">
        <h1>{t('startup.errorTitle')}</h1>
        <p>{t('startup.errorBody')}</p>
        <p className="muted small">{message}</p>
        <button type="button" className="button primary" onClick={() => location.reload()}>
          {t('common.reload')}
        </button>
      </div>
    </div>
  );
}
