// The signed-in frame: a sidebar with the places an agent goes, and the current screen.
import { useEffect, useState } from 'react';
import { useI18n } from './i18n/i18n.js';
import { InboxPage } from './inbox/inbox-page.js';
import { onLinkClick, type Route } from './router.js';
import { useSession } from './session/session.js';
import { SettingsPage } from './settings/settings-page.js';
import { Avatar } from './ui/avatar.js';
import { ErrorBoundary } from './ui/error-boundary.js';
import { Icon, type IconName } from './ui/icon.js';

function NavLink({
  href,
  icon,
  label,
  active,
}: {
  href: string;
  icon: IconName;
  label: string;
  active: boolean;
}) {
  return (
    <a
      href={href}
      className={active ? 'nav-link active' : 'nav-link'}
      aria-current={active ? 'page' : undefined}
      onClick={onLinkClick}
    >
      <Icon name={icon} />
      <span>{label}</span>
    </a>
  );
}

export function Shell({ route }: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const [live, setLive] = useState<'connecting' | 'open' | 'closed'>('connecting');
  const admin = session.me.agent.role === 'admin';

  useEffect(
    () => session.realtime.onStatus((connected) => setLive(connected ? 'open' : 'closed')),
    [session.realtime],
  );

  return (
    <div className="shell" data-live={live}>
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <nav className="sidebar" aria-label={t('shell.navigation')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{session.me.account.name}</span>
        </div>
        <div className="nav-group">
          <NavLink href="/" icon="inbox" label={t('nav.inbox')} active={route.name === 'inbox'} />
        </div>
        <div className="nav-group">
          <div className="nav-heading">{t('nav.settings')}</div>
          <NavLink
            href="/settings/profile"
            icon="user"
            label={t('nav.profile')}
            active={route.name === 'settings' && route.section === 'profile'}
          />
          {admin ? (
            <>
              <NavLink
                href="/settings/agents"
                icon="users"
                label={t('nav.agents')}
                active={route.name === 'settings' && route.section === 'agents'}
              />
              <NavLink
                href="/settings/channels"
                icon="plug"
                label={t('nav.channels')}
                active={route.name === 'settings' && route.section === 'channels'}
              />
              <NavLink
                href="/settings/activity"
                icon="shield"
                label={t('nav.activity')}
                active={route.name === 'settings' && route.section === 'activity'}
              />
            </>
          ) : null}
        </div>
        <div className="sidebar-footer">
          {live === 'closed' ? (
            <p className="connection-warning" role="status">
              <span className="dot warn" aria-hidden="true" />
              {t('shell.reconnecting')}
            </p>
          ) : null}
          <div className="me">
            <Avatar name={session.me.agent.name} />
            <div className="me-text">
              <span className="me-name">{session.me.agent.name}</span>
              <span className="me-role">{admin ? t('role.admin') : t('role.agent')}</span>
            </div>
            <button
              type="button"
              className="icon-button"
              onClick={() => void session.signOut()}
              aria-label={t('shell.signOut')}
              title={t('shell.signOut')}
            >
              <Icon name="logout" />
            </button>
          </div>
        </div>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary
          key={route.name === 'inbox' ? `inbox:${route.ticketId ?? ''}` : route.name}
          fallback={(reset) => (
            <div className="empty-state">
              <Icon name="warning" size={28} />
              <h1>{t('shell.crashTitle')}</h1>
              <p>{t('shell.crashHint')}</p>
              <div className="form-actions">
                <button type="button" className="button" onClick={reset}>
                  {t('common.tryAgain')}
                </button>
                <button type="button" className="button primary" onClick={() => location.reload()}>
                  {t('common.reload')}
                </button>
              </div>
            </div>
          )}
        >
          {route.name === 'inbox' ? (
            <InboxPage ticketId={route.ticketId} />
          ) : route.name === 'settings' ? (
            <SettingsPage section={route.section} />
          ) : null}
        </ErrorBoundary>
      </main>
    </div>
  );
}
