// Creating a channel, and editing one with the same form prefilled. Secrets are never shown
// back: when editing, their fields say "unchanged" and are only sent when typed in again.
import { useState, type FormEvent } from 'react';
import type { Channel, ChannelKind } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { errorText } from '../i18n/error-text.js';
import { channelFormLabels } from './field-labels.js';
import { emailConfigFrom, invalidMailUrl } from './email-fields.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';
import { channelKinds } from '../ui/constants.js';
import { Icon } from '../ui/icon.js';
import { channelFields, fieldsConfig, storedText } from './channel-fields.js';
import { WebchatFields } from './webchat-fields.js';
import { webchatConfigFrom, webchatValuesFrom, type WebchatFormValues } from './webchat-form.js';

export function ChannelForm({
  channel,
  onDone,
}: {
  channel?: Channel;
  onDone(channel: Channel | null): void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const editing = channel !== undefined;
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'whatsapp');
  const [name, setName] = useState(channel?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>(() =>
    channel
      ? Object.fromEntries(
          channelFields[channel.kind].map((field) => [field.key, storedText(field, channel.config)]),
        )
      : {},
  );
  const [webchat, setWebchat] = useState<WebchatFormValues>(() => webchatValuesFrom(channel?.config));
  const [simulator, setSimulator] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const simulated = !editing && simulator && kind !== 'webchat';
  const showFields = editing ? !channel.simulator : !simulated;
  // A simulated channel connects by itself; only how it behaves can be set.
  const fields = channelFields[kind].filter((field) => showFields || (editing && field.behaviour));

  function configOf(): Record<string, unknown> {
    if (kind === 'webchat') return webchatConfigFrom(webchat, channel?.config);
    const config = fieldsConfig(fields, values, editing);
    return kind === 'email' ? emailConfigFrom(config) : config;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'email' && showFields && !simulated) {
        const invalid = invalidMailUrl(values);
        if (invalid) throw new Error(t('channelField.mailUrlInvalid', { field: t(invalid) }));
      }
      const saved = editing
        ? await api<Channel>('PATCH', `/api/channels/${channel.id}`, {
            name,
            ...(showFields || fields.length ? { config: configOf() } : {}),
          })
        : await api<Channel>('POST', '/api/channels', {
            kind,
            name,
            config: simulated ? {} : configOf(),
            ...(simulated ? { simulator: true } : {}),
          });
      await session.reloadChannels();
      onDone(saved);
    } catch (failure) {
      setError(
        failure instanceof Error && !('code' in failure)
          ? failure.message
          : errorText(t, failure, channelFormLabels(kind)),
      );
    } finally {
      setBusy(false);
    }
  }

  const title = editing ? t('channels.editTitle', { name: channel.name }) : t('channels.new');
  return (
    <form className={`card form-grid${kind === 'webchat' && showFields ? ' wide' : ''}`} onSubmit={submit}>
      <h2>{title}</h2>
      {!editing ? (
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
      ) : null}
      <label className="field">
        <span>{t('channels.name')}</span>
        <input
          required
          value={name}
          placeholder={t(kind === 'webchat' ? 'channels.namePlaceholderWebchat' : 'channels.namePlaceholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      {!editing && kind !== 'webchat' ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={simulator}
            onChange={(event) => setSimulator(event.target.checked)}
          />
          <span>
            {t('channels.simulator')}
            <span className="field-hint">{t('channels.simulatorHint')}</span>
          </span>
        </label>
      ) : null}
      {editing && channel.simulator ? (
        <p className="field-hint">{t('channels.simulatorNoSettings')}</p>
      ) : null}
      {showFields && kind === 'webchat' ? <WebchatFields values={webchat} onChange={setWebchat} /> : null}
      {kind !== 'webchat'
        ? fields.map((field) => {
            const change = (value: string) => setValues((current) => ({ ...current, [field.key]: value }));
            return (
              <label key={`${kind}.${field.key}`} className="field">
                <span>
                  {t(field.label)}
                  {field.optional ? <span className="muted"> · {t('common.optional')}</span> : null}
                </span>
                {field.multiline ? (
                  <textarea
                    rows={4}
                    required={!field.optional}
                    placeholder={field.placeholder ? t(field.placeholder) : undefined}
                    value={values[field.key] ?? ''}
                    onChange={(event) => change(event.target.value)}
                  />
                ) : (
                  <input
                    type={field.secret ? 'password' : (field.type ?? 'text')}
                    autoComplete={field.secret ? 'new-password' : 'off'}
                    required={!field.optional && !(editing && field.secret)}
                    placeholder={editing && field.secret ? t('channels.secretUnchanged') : undefined}
                    value={values[field.key] ?? ''}
                    onChange={(event) => change(event.target.value)}
                  />
                )}
                {field.hint ? <span className="field-hint">{t(field.hint)}</span> : null}
              </label>
            );
          })
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
          {editing ? t('channels.save') : t('channels.create')}
        </button>
      </div>
    </form>
  );
}
