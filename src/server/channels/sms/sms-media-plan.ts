// Decides, for each attachment of a reply, how it reaches the customer's phone: as MMS media
// behind a signed link Twilio fetches, or as a secure link in the text.
import { decideAttachment, type ChannelRules, type PlanContext } from '../../../shared/channel-rules.js';
import type { AdapterDeps, OutboundMessage } from '../adapter.js';
import type { SmsLinkItem, SmsMediaItem } from './sms-parts.js';

export interface PreparedSmsMedia {
  media: SmsMediaItem[];
  links: SmsLinkItem[];
}

export async function prepareSmsMedia(
  message: OutboundMessage,
  rules: ChannelRules,
  context: PlanContext,
  deps: AdapterDeps,
): Promise<PreparedSmsMedia> {
  const media: SmsMediaItem[] = [];
  const links: SmsLinkItem[] = [];
  for (const attachment of message.attachments) {
    const decision = decideAttachment(rules, attachment, context);
    if (decision.action === 'send') {
      media.push({
        url: deps.signedMediaUrl(attachment.id),
        contentType: attachment.contentType,
        size: attachment.size,
      });
    } else {
      links.push({ name: attachment.name, url: deps.signedMediaUrl(attachment.id) });
    }
  }
  return { media, links };
}
