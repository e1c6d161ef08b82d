import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import type { SettingsSection } from '../router.js';
import { ActivitySettings } from './activity-settings.js';
import { AgentsSettings } from './agents-settings.js';
import { ChannelsSettings } from './channels-settings.js';
import { ProfileSettings } from './profile-settings.js';

const HEADINGS = {
  profile: 'nav.profile',
  agents: 'nav.agents',
  channels: 'nav.channels',
  activity: 'nav.activity',
} as const;

export function SettingsPage({ section }: { section: SettingsSection }) {
  const { t } = useI18n();
  const session = useSession();
  const admin = session.me.agent.role === 'admin';
  const heading = t(HEADINGS[section]);
  useEffect(() => {
    document.title = `${heading} · Switchboard`;
  }, [heading]);
  if (section !== 'profile' && !admin) {
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
      ) : section === 'activity' ? (
        <ActivitySettings />
      ) : (
        <ChannelsSettings />
      )}
    </div>
  );
}
