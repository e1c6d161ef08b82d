// The Instagram Direct channel (Messenger Platform for Instagram).
import type { ChannelAdapter } from '../adapter.js';
import { instagramConfigSchema, instagramSecretFields } from './instagram-config.js';
import { fetchInstagramMedia } from './instagram-media.js';
import { sendInstagram } from './instagram-send.js';
import { handleInstagramWebhook } from './instagram-webhook.js';

export const instagramAdapter: ChannelAdapter = {
  kind: 'instagram',
  configSchema: instagramConfigSchema,
  secretFields: instagramSecretFields,
  webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/instagram/${channelId}`,
  handleWebhook: handleInstagramWebhook,
  fetchMedia: fetchInstagramMedia,
  send: sendInstagram,
};
