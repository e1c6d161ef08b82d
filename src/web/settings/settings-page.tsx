import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { AgentsSettings } from './agents-settings.js';
import { ChannelsSettings } from './channels-settings.js';
import { ProfileSettings } from './profile-settings.js';

export function SettingsPage({ section }: { section: 'agents' | 'channels' | 'profile' }) {
  const { t } = useI18n();
  const session = useSession();
  const admin = session.me.agent.role === 'admin';
  const heading = t(
    section === 'profile' ? 'nav.profile' : section === 'agents' ? 'nav.agents' : 'nav.channels',
  );
  useEffect(() => {
    document.title = `${heading} · Switchboard`;
  }, [heading]);
  if ((section === 'agents' || section === 'channels') && !admin) {
    return (
      <div className="settings">
        <div className="empty-state">
          <h1>{t('settings.adminsOnly')}</h1>
          <p className="muted">{t('settings.adminsOnlyHint')}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="settings">
      {section === 'profile' ? (
        <ProfileSettings />
      ) : section === 'agents' ? (
        <AgentsSettings />
      ) : (
        <ChannelsSettings />
      )}
    </div>
  );
}
