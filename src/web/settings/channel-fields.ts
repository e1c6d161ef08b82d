// The settings each kind of channel asks for when an admin creates or edits it. Names match
// the configuration the server's channel adapters validate; secret fields are never shown back.
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { MessageKey } from '../i18n/catalog-types.js';

export interface ChannelField {
  key: string;
  label: MessageKey;
  hint?: MessageKey;
  /** An example shown in the empty field. */
  placeholder?: MessageKey;
  secret?: boolean;
  optional?: boolean;
  /** Comma-separated in the form, a list in the configuration. */
  list?: boolean;
  type?: 'text' | 'email' | 'url';
  /** Several lines of text (a message to customers). */
  multiline?: boolean;
  /** How the channel behaves rather than how it connects: editable on simulated channels too. */
  behaviour?: boolean;
}

export const channelFields: Record<ChannelKind, ChannelField[]> = {
  sms: [
    { key: 'accountSid', label: 'channelField.accountSid' },
    { key: 'authToken', label: 'channelField.authToken', secret: true },
    { key: 'from', label: 'channelField.fromNumber', hint: 'channelField.fromNumberHint', optional: true },
    {
      key: 'messagingServiceSid',
      label: 'channelField.messagingServiceSid',
      hint: 'channelField.messagingServiceSidHint',
      optional: true,
    },
  ],
  whatsapp: [
    { key: 'phoneNumberId', label: 'channelField.phoneNumberId' },
    { key: 'accessToken', label: 'channelField.accessToken', secret: true },
    { key: 'appSecret', label: 'channelField.appSecret', secret: true },
    { key: 'verifyToken', label: 'channelField.verifyToken', hint: 'channelField.verifyTokenHint' },
  ],
  instagram: [
    { key: 'accountId', label: 'channelField.instagramAccountId' },
    { key: 'accessToken', label: 'channelField.accessToken', secret: true },
    { key: 'appSecret', label: 'channelField.appSecret', secret: true },
    { key: 'verifyToken', label: 'channelField.verifyToken', hint: 'channelField.verifyTokenHint' },
  ],
  email: [
    { key: 'address', label: 'channelField.address', type: 'email' },
    { key: 'smtpUrl', label: 'channelField.smtpUrl', secret: true, hint: 'channelField.smtpUrlHint' },
    {
      key: 'imapUrl',
      label: 'channelField.imapUrl',
      secret: true,
      optional: true,
      hint: 'channelField.imapUrlHint',
    },
    {
      key: 'acknowledgement',
      label: 'channelField.acknowledgement',
      optional: true,
      multiline: true,
      behaviour: true,
      hint: 'channelField.acknowledgementHint',
      placeholder: 'channelField.acknowledgementExample',
    },
  ],
  /** The website chat has its own fields (texts per language, colour, preview): webchat-fields.tsx. */
  webchat: [],
};

/** A stored setting as the form shows it; a secret is never shown back. */
export const storedText = (field: ChannelField, config: Record<string, unknown>): string => {
  const value = config[field.key];
  if (field.secret) return '';
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string').join(', ');
  return typeof value === 'string' ? value : '';
};

/** The configuration for the generic fields; when editing, emptied settings are removed and blank secrets kept. */
export function fieldsConfig(
  fields: readonly ChannelField[],
  values: Record<string, string>,
  editing: boolean,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.key]?.trim() ?? '';
    if (!value) {
      if (editing && !field.secret) config[field.key] = null;
      continue;
    }
    config[field.key] = field.list
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value;
  }
  return config;
}
