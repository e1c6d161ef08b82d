// The labels the settings forms show, by the API's field path, so a refused value is named
// the way the form names it (`config.authToken` → "Auth token").
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { FieldLabels } from '../i18n/error-text.js';
import { channelFields } from './channel-fields.js';

export const agentFormLabels: FieldLabels = {
  name: 'agents.name',
  email: 'agents.email',
  role: 'agents.role',
  password: 'agents.password',
};

export function channelFormLabels(kind: ChannelKind): FieldLabels {
  const labels: Record<string, FieldLabels[string]> = { kind: 'channels.kind', name: 'channels.name' };
  for (const field of channelFields[kind]) labels[`config.${field.key}`] = field.label;
  return labels;
}
