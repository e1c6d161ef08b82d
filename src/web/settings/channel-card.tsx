// One channel in Settings → Channels: its health, what to paste where (webhook URLs, or the
// website chat's script tag with a preview), and edit and delete for admins.
import { useState } from 'react';
import type { Channel } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Icon } from '../ui/icon.js';
import { ChannelForm } from './channel-form.js';
import { CopyButton, CopyField } from './copy-field.js';

function InstallPanel({ channel }: { channel: Channel }) {
  const { t, list } = useI18n();
  const install = channel.install;
  if (!install) return null;
  const origins = Array.isArray(channel.config.allowedOrigins)
    ? channel.config.allowedOrigins.filter((origin): origin is string => typeof origin === 'string')
    : [];
  return (
    <section className="install" aria-label={t('install.title')}>
      <div className="install-head">
        <div>
          <h3>{t('install.title')}</h3>
          <p className="field-hint">{t('install.hint')}</p>
        </div>
        {install.previewUrl ? (
          <a className="button small" href={install.previewUrl} target="_blank" rel="noreferrer">
            <Icon name="externalLink" size={14} />
            {t('install.preview')}
          </a>
        ) : null}
      </div>
      <div className="snippet">
        <pre aria-label={t('install.snippet')}>
          <code>{install.snippet}</code>
        </pre>
        <CopyButton value={install.snippet} />
      </div>
      <p className="install-origins small">
        <Icon name="globe" size={14} />
        {origins.length === 0 ? (
          <span className="muted">{t('install.noOrigins')}</span>
        ) : origins.includes('*') ? (
          <span>{t('install.anyOrigin')}</span>
        ) : (
          <span>{t('install.origins', { origins: list(origins) })}</span>
        )}
      </p>
    </section>
  );
}

function WebhookUrls({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  return (
    <>
      {channel.webhookUrl ? (
        <div className="webhook">
          <span className="field-label">{t('channels.webhookUrl')}</span>
          <CopyField value={channel.webhookUrl} label={t('channels.webhookUrl')} />
          <p className="field-hint">{t(`channels.webhookHint.${channel.kind}`)}</p>
        </div>
      ) : null}
      {channel.webhookUrls
        .filter((entry) => entry.url !== channel.webhookUrl)
        .map((entry) => {
          const label = entry.key === 'status' ? t('channels.statusCallbackUrl') : entry.label;
          return (
            <div className="webhook" key={entry.key}>
              <span className="field-label">{label}</span>
              <CopyField value={entry.url} label={label} />
              {entry.key === 'status' ? (
                <p className="field-hint">{t('channels.statusCallbackHint')}</p>
              ) : null}
            </div>
          );
        })}
    </>
  );
}

export function ChannelCard({ channel, highlighted }: { channel: Channel; highlighted: boolean }) {
  const { t } = useI18n();
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `/api/channels/${channel.id}`);
      setConfirming(false);
      await session.reloadChannels();
    } catch (failure) {
      setError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  }

  if (editing) return <ChannelForm channel={channel} onDone={() => setEditing(false)} />;
  return (
    <div className={highlighted ? 'card channel-card created' : 'card channel-card'}>
      <div className="channel-card-head">
        <span className={`channel-badge ${channel.kind}`}>
          <Icon name={channel.kind} size={16} />
        </span>
        <div>
          <h2>{channel.name}</h2>
          <p className="muted small">
            {t(`channel.${channel.kind}`)}
            {channel.simulator ? ` · ${t('channels.simulatorTag')}` : ''}
          </p>
        </div>
        <span className={`health ${channel.health}`}>
          <span className="dot" aria-hidden="true" />
          {channel.health === 'ok' ? t('channels.healthy') : t('channels.needsAttention')}
        </span>
        <div className="channel-actions">
          <button
            type="button"
            className="button small"
            aria-label={t('channels.editLabel', { name: channel.name })}
            onClick={() => setEditing(true)}
          >
            {t('channels.edit')}
          </button>
          <button
            type="button"
            className="button small danger-quiet"
            aria-label={t('channels.deleteLabel', { name: channel.name })}
            onClick={() => setConfirming(true)}
          >
            {t('channels.delete')}
          </button>
        </div>
      </div>
      {channel.healthReason ? <p className="form-error">{channel.healthReason}</p> : null}
      {channel.simulator ? (
        <p className="small">
          <a href={`/simulator?channel=${channel.id}`} target="_blank" rel="noreferrer">
            {t('channels.openSimulator')}
          </a>
        </p>
      ) : null}
      <InstallPanel channel={channel} />
      <WebhookUrls channel={channel} />
      {confirming ? (
        <ConfirmDialog
          danger
          title={t('channels.deleteTitle', { name: channel.name })}
          confirmLabel={t('channels.deleteConfirm')}
          busy={busy}
          error={error}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          <p>{t(channel.kind === 'webchat' ? 'channels.deleteBodyWebchat' : 'channels.deleteBody')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
