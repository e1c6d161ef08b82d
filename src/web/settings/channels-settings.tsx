// Admins: the account's channels with their health and what to paste where (webhook URLs for
// providers, the script tag for the website chat), new channels with the settings their kind
// needs, and edit and delete.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { Icon } from '../ui/icon.js';
import { ChannelCard } from './channel-card.js';
import { ChannelForm } from './channel-form.js';

export function ChannelsSettings() {
  const { t } = useI18n();
  const session = useSession();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <>
      <header className="settings-header">
        <div>
          <h1>{t('channels.title')}</h1>
          <p className="muted">{t('channels.subtitle')}</p>
        </div>
        {!adding ? (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            {t('channels.add')}
          </button>
        ) : null}
      </header>
      {adding ? (
        <ChannelForm
          onDone={(channel) => {
            setAdding(false);
            setCreated(channel?.id ?? null);
          }}
        />
      ) : null}
      {session.channels.length === 0 && !adding ? (
        <div className="empty-state card">
          <Icon name="plug" size={28} />
          <h2>{t('channels.empty')}</h2>
          <p className="muted">{t('channels.emptyHint')}</p>
        </div>
      ) : null}
      <ul className="channel-cards">
        {session.channels.map((channel) => (
          <li key={channel.id}>
            <ChannelCard channel={channel} highlighted={channel.id === created} />
          </li>
        ))}
      </ul>
    </>
  );
}
