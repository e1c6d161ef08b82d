// The Instagram channel's simulator: the Graph API fake, started inside the app for one channel
// in simulator mode with that channel's account id, token and app secret, posting signed
// webhooks (and echoes of our sends) to the channel's own URL; and the chats the customer page
// shows.
import { createHash } from 'node:crypto';
import type { ChannelRecord } from '../../channels/adapter.js';
import { instagramConfigOf } from '../../channels/instagram/instagram-config.js';
import { startFakeGraph, type FakeGraph, type InstagramSentMessage } from '../fake-graph.js';
import { createChatLog, type ChatLog } from '../graph/chat-log.js';
import type { ChannelSimulator, RunningSimulator } from '../simulator-host.js';

export interface InstagramSimulatorInstance extends RunningSimulator {
  fake: FakeGraph;
  chats: ChatLog;
  /** The business account's handle, as customers see it. */
  handle: string;
  webhookUrl: string;
}

export const instagramWebhookUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/webhooks/instagram/${channelId}`;

function record(chats: ChatLog, message: InstagramSentMessage): void {
  const attachment = message.attachment;
  chats.record({
    customer: message.recipientId,
    direction: 'to-customer',
    providerId: message.mid,
    text: message.text ?? '',
    media: attachment
      ? [
          {
            kind: attachment.type,
            contentType: attachment.contentType,
            size: attachment.bytes.length,
            name: null,
            bytes: attachment.bytes,
            voice: false,
            problem: null,
          },
        ]
      : [],
    card: null,
    note: message.tag === 'HUMAN_AGENT' ? 'Sent with the HUMAN_AGENT tag' : null,
    status: 'delivered',
    error: null,
    at: Date.now(),
  });
}

export const instagramSimulator: ChannelSimulator<InstagramSimulatorInstance> = {
  kind: 'instagram',
  fingerprint(channel: ChannelRecord) {
    const config = instagramConfigOf(channel);
    return createHash('sha256')
      .update(`${config.accountId}\n${config.accessToken}\n${config.appSecret}`)
      .digest('hex');
  },
  async start(channel, { publicUrl }) {
    const config = instagramConfigOf(channel);
    const webhookUrl = instagramWebhookUrl(publicUrl, channel.id);
    const fake = await startFakeGraph({
      appSecret: config.appSecret,
      accessToken: config.accessToken,
      instagram: { igAccountId: config.accountId, webhookUrl },
      maxRecordedRequests: 200,
    });
    const chats = createChatLog({ maxMessages: 1000, maxMediaBytes: 64 * 1024 * 1024 });
    fake.events.on('instagram-accepted', (message) => {
      record(chats, message);
      // The fake keeps every send for tests; the simulator only needs the recent ones.
      if (fake.instagram.sent.length > 200) fake.instagram.sent.splice(0, fake.instagram.sent.length - 200);
    });
    return {
      baseUrl: fake.baseUrl,
      fake,
      chats,
      handle: 'switchboard.simulator',
      webhookUrl,
      close: () => fake.close(),
    };
  },
};
