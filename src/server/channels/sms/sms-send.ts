// Sends a reply over Twilio: media prepared for MMS (or turned into links), the text and media
// cut into as many Twilio messages as needed, each recorded the moment Twilio accepts it so a
// retry never sends a part twice. Status callbacks come back to `…/status`.
import { rulesWithLimits } from '../../../shared/channel-plan.js';
import type { ChannelRules } from '../../../shared/channel-rules.js';
import { smsPlanContext } from '../../../shared/sms-destination.js';
import type { AdapterDeps, ChannelRecord, OutboundMessage, SendOutcome, SendProgress } from '../adapter.js';
import { ProviderError } from '../adapter.js';
import { mmsImageBytes, smsConfigOf, type SmsConfig } from './sms-config.js';
import { prepareSmsMedia } from './sms-media-plan.js';
import { composeSmsParts } from './sms-parts.js';
import { createTwilioMessage, type TwilioAccount } from './twilio-rest.js';

/** The channel's rules with its own image budget (the same the composer plans with). */
export function smsRules(rules: ChannelRules, config: SmsConfig): ChannelRules {
  return rulesWithLimits(rules, { mmsImageBytes: mmsImageBytes(config) });
}

export const statusCallbackUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/webhooks/sms/${channelId}/status`;

export async function sendSms(
  message: OutboundMessage,
  channel: ChannelRecord,
  deps: AdapterDeps,
  progress: SendProgress,
  apiBaseUrl: () => Promise<string>,
): Promise<SendOutcome> {
  const config = smsConfigOf(channel);
  const to = message.recipient.externalId.trim() || message.recipient.phone?.trim() || '';
  if (!to) throw new ProviderError('twilio-21604', 'The customer has no phone number to send to.', false);
  const rules = smsRules(deps.rules, config);
  const context = smsPlanContext(to, config.outsideNorthAmerica ?? 'link');
  const prepared = await prepareSmsMedia(message, rules, context, deps);
  const parts = composeSmsParts(rules, message.text, prepared.media, prepared.links);
  const account: TwilioAccount = {
    baseUrl: await apiBaseUrl(),
    accountSid: config.accountSid,
    authToken: config.authToken,
  };
  const sender: [string, string] = config.messagingServiceSid
    ? ['MessagingServiceSid', config.messagingServiceSid]
    : ['From', config.from ?? ''];
  const ids: string[] = [];
  for (const [index, part] of parts.entries()) {
    const already = progress.sent.get(index);
    if (already) {
      ids.push(already);
      continue;
    }
    const fields: Array<[string, string]> = [
      ['To', to],
      sender,
      ...(part.body ? [['Body', part.body] as [string, string]] : []),
      ...part.mediaUrls.map((url) => ['MediaUrl', url] as [string, string]),
      ['StatusCallback', statusCallbackUrl(deps.config.publicUrl, channel.id)],
    ];
    const created = await createTwilioMessage(account, fields);
    await progress.record(index, created.sid, 'sending');
    ids.push(created.sid);
    deps.log.info(
      {
        channelId: channel.id,
        messageId: message.id,
        part: index,
        sid: created.sid,
        media: part.mediaUrls.length,
      },
      'Twilio accepted a message',
    );
  }
  return {
    providerMessageIds: ids,
    status: 'sending',
    meta: { smsParts: parts.length, linkedFiles: prepared.links.length },
  };
}
