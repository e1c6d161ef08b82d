// The Instagram Direct channel (Messenger Platform for Instagram). In simulator mode the same
// code talks to the Graph API simulator running inside the app instead of Meta's host.
import { instagramSimulator } from '../../simulators/instagram/instagram-simulator.js';
import type { ChannelAdapter } from '../adapter.js';
import { instagramConfigSchema, instagramLimitsOf, instagramSecretFields } from './instagram-config.js';
import { fetchInstagramMedia } from './instagram-media.js';
import { sendInstagram } from './instagram-send.js';
import { handleInstagramWebhook } from './instagram-webhook.js';

export const instagramAdapter: ChannelAdapter = {
  kind: 'instagram',
  configSchema: instagramConfigSchema,
  secretFields: instagramSecretFields,
  limits: instagramLimitsOf,
  webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/instagram/${channelId}`,
  simulator: instagramSimulator,
  handleWebhook: handleInstagramWebhook,
  fetchMedia: fetchInstagramMedia,
  send: sendInstagram,
};
