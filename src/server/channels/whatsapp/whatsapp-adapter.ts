// The WhatsApp Business Cloud API channel.
import type { ChannelAdapter } from '../adapter.js';
import { whatsappConfigSchema, whatsappSecretFields } from './whatsapp-config.js';
import { fetchWhatsAppMedia } from './whatsapp-media.js';
import { sendWhatsApp } from './whatsapp-send.js';
import { handleWhatsAppWebhook } from './whatsapp-webhook.js';

export const whatsappAdapter: ChannelAdapter = {
  kind: 'whatsapp',
  configSchema: whatsappConfigSchema,
  secretFields: whatsappSecretFields,
  webhookUrl: (publicUrl, channelId) => `${publicUrl}/webhooks/whatsapp/${channelId}`,
  handleWebhook: handleWhatsAppWebhook,
  fetchMedia: fetchWhatsAppMedia,
  send: sendWhatsApp,
};
