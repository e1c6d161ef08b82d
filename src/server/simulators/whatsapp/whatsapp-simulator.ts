// The WhatsApp channel's simulator: the Graph API fake, started inside the app for one channel
// in simulator mode with that channel's phone number id, token and app secret, posting signed
// webhooks to the channel's own URL; and the chats the customer page shows.
import { createHash } from 'node:crypto';
import type { ChannelRecord } from '../../channels/adapter.js';
import { explainGraphProblem } from '../../channels/meta/graph-failure.js';
import { whatsappConfigOf } from '../../channels/whatsapp/whatsapp-config.js';
import { startFakeGraph, type FakeGraph, type WhatsAppSentMessage } from '../fake-graph.js';
import { createChatLog, type ChatLog, type ChatMedia, type ChatMediaKind } from '../graph/chat-log.js';
import type { ChannelSimulator, RunningSimulator } from '../simulator-host.js';

export interface WhatsAppSimulatorInstance extends RunningSimulator {
  fake: FakeGraph;
  chats: ChatLog;
  /** The business number customers write to, as WhatsApp shows it. */
  displayNumber: string;
  webhookUrl: string;
}

export const SIMULATED_DISPLAY_NUMBER = '15550783881';

export const whatsappWebhookUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/webhooks/whatsapp/${channelId}`;

function mediaOf(message: WhatsAppSentMessage): ChatMedia[] {
  const spec = message.spec;
  if (spec.type === 'text' || spec.type === 'template') return [];
  const kind: ChatMediaKind = spec.type;
  return [
    {
      kind,
      contentType: message.media?.mimeType ?? '',
      size: message.media?.bytes.length ?? 0,
      name: spec.filename ?? null,
      bytes: message.media?.bytes ?? null,
      voice: false,
      problem: message.media ? null : (message.mediaError ?? null),
    },
  ];
}

function record(chats: ChatLog, message: WhatsAppSentMessage): void {
  const spec = message.spec;
  const last = message.statuses.at(-1);
  const failure = last?.errors?.[0];
  const error = failure
    ? explainGraphProblem('whatsapp', {
        code: failure.code,
        detail: failure.error_data?.details ?? failure.title,
      }).reason
    : null;
  const existing = chats.byProviderId(message.wamid);
  if (existing) {
    existing.status = last?.status ?? existing.status;
    existing.error = error;
    if (existing.media.some((item) => !item.bytes && !item.problem))
      chats.setMedia(existing, mediaOf(message));
    return;
  }
  chats.record({
    customer: spec.waId,
    direction: 'to-customer',
    providerId: message.wamid,
    text:
      spec.type === 'text'
        ? spec.body
        : spec.type === 'template'
          ? `Template ${spec.name}`
          : (spec.caption ?? ''),
    media: mediaOf(message),
    card: null,
    note: null,
    status: last?.status ?? 'accepted',
    error,
    at: Date.now(),
  });
}

export const whatsappSimulator: ChannelSimulator<WhatsAppSimulatorInstance> = {
  kind: 'whatsapp',
  fingerprint(channel: ChannelRecord) {
    const config = whatsappConfigOf(channel);
    return createHash('sha256')
      .update(`${config.phoneNumberId}\n${config.accessToken}\n${config.appSecret}`)
      .digest('hex');
  },
  async start(channel, { publicUrl }) {
    const config = whatsappConfigOf(channel);
    const webhookUrl = whatsappWebhookUrl(publicUrl, channel.id);
    const fake = await startFakeGraph({
      appSecret: config.appSecret,
      accessToken: config.accessToken,
      whatsapp: {
        phoneNumberId: config.phoneNumberId,
        displayPhoneNumber: SIMULATED_DISPLAY_NUMBER,
        webhookUrl,
      },
      maxRecordedRequests: 200,
    });
    const chats = createChatLog({ maxMessages: 1000, maxMediaBytes: 64 * 1024 * 1024 });
    fake.events.on('whatsapp-accepted', (message) => record(chats, message));
    fake.events.on('whatsapp-settled', (message) => {
      record(chats, message);
      // The fake keeps every send for tests; the simulator only needs the recent ones.
      if (fake.whatsapp.sent.length > 200) fake.whatsapp.sent.splice(0, fake.whatsapp.sent.length - 200);
    });
    fake.events.on('webhook', (delivery) => {
      // Statuses the customer's phone reports later (read) arrive through the same webhook.
      if (delivery.product !== 'whatsapp') return;
      for (const sent of fake.whatsapp.sent.slice(-50)) {
        const entry = chats.byProviderId(sent.wamid);
        const last = sent.statuses.at(-1);
        if (entry && last) entry.status = last.status;
      }
    });
    return {
      baseUrl: fake.baseUrl,
      fake,
      chats,
      displayNumber: SIMULATED_DISPLAY_NUMBER,
      webhookUrl,
      close: () => fake.close(),
    };
  },
};
