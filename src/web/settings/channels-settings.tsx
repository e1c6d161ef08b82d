// Admins: the account's channels with their health and the webhook URL to paste into the
// provider's console, and new channels with the settings their kind needs.
import { useState, type FormEvent } from 'react';
import type { Channel, ChannelKind } from '../../shared/api-schemas.js';
import { channelKinds } from '../ui/constants.js';
import { api } from '../api/http.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { Icon } from '../ui/icon.js';
import { channelFields } from './channel-fields.js';
import { channelFormLabels } from './field-labels.js';

function CopyField({ value, label }: { value: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-field">
      <code aria-label={label}>{value}</code>
      <button
        type="button"
        className="button small"
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        <Icon name="copy" size={14} />
        {copied ? t('channels.copied') : t('channels.copy')}
      </button>
    </div>
  );
}

function NewChannelForm({ onDone }: { onDone(channel: Channel | null): void }) {
  const { t } = useI18n();
  const session = useSession();
  const [kind, setKind] = useState<ChannelKind>('whatsapp');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [simulator, setSimulator] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = channelFields[kind];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const config: Record<string, unknown> = {};
    for (const field of fields) {
      const value = values[`${kind}.${field.key}`]?.trim() ?? '';
      if (!value) continue;
      config[field.key] = field.list
        ? value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
        : value;
    }
    try {
      const channel = await api<Channel>('POST', '/api/channels', {
        kind,
        name,
        config: simulator ? {} : config,
        ...(simulator ? { simulator: true } : {}),
      });
      await session.reloadChannels();
      onDone(channel);
    } catch (failure) {
      setError(errorText(t, failure, channelFormLabels(kind)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-grid" onSubmit={submit}>
      <h2>{t('channels.new')}</h2>
      <fieldset className="kind-picker">
        <legend>{t('channels.kind')}</legend>
        {channelKinds.map((value) => (
          <label key={value} className={value === kind ? 'kind-option active' : 'kind-option'}>
            <input
              type="radio"
              name="kind"
              value={value}
              checked={value === kind}
              onChange={() => setKind(value)}
            />
            <Icon name={value} size={18} />
            <span>{t(`channel.${value}`)}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('channels.name')}</span>
        <input
          required
          value={name}
          placeholder={t('channels.namePlaceholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={simulator} onChange={(event) => setSimulator(event.target.checked)} />
        <span>
          {t('channels.simulator')}
          <span className="field-hint">{t('channels.simulatorHint')}</span>
        </span>
      </label>
      {!simulator
        ? fields.map((field) => (
            <label key={`${kind}.${field.key}`} className="field">
              <span>
                {t(field.label)}
                {field.optional ? <span className="muted"> · {t('common.optional')}</span> : null}
              </span>
              <input
                type={field.secret ? 'password' : (field.type ?? 'text')}
                autoComplete="off"
                required={!field.optional}
                value={values[`${kind}.${field.key}`] ?? ''}
                onChange={(event) =>
                  setValues((current) => ({ ...current, [`${kind}.${field.key}`]: event.target.value }))
                }
              />
              {field.hint ? <span className="field-hint">{t(field.hint)}</span> : null}
            </label>
          ))
        : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {t('channels.create')}
        </button>
      </div>
    </form>
  );
}

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
        <NewChannelForm
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
          <li
            key={channel.id}
            className={channel.id === created ? 'card channel-card created' : 'card channel-card'}
          >
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
            </div>
            {channel.healthReason ? <p className="form-error">{channel.healthReason}</p> : null}
            {channel.simulator ? (
              <p className="small">
                <a href={`/simulator?channel=${channel.id}`} target="_blank" rel="noreferrer">
                  {t('channels.openSimulator')}
                </a>
              </p>
            ) : null}
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
          </li>
        ))}
      </ul>
    </>
  );
}
