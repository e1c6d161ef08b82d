// The WhatsApp Business Cloud API channel. In simulator mode the same code talks to the Graph
// API simulator running inside the app instead of Meta's host.
import { whatsappSimulator } from '../../simulators/whatsapp/whatsapp-simulator.js';
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
  simulator: whatsappSimulator,
  handleWebhook: handleWhatsAppWebhook,
  fetchMedia: fetchWhatsAppMedia,
  send: sendWhatsApp,
};
