// What each attachment of a reply becomes on a phone, through the shared outbound preparation:
// MMS media behind a signed link Twilio fetches (images fitted to the channel's budget, HEIC and
// WebP converted to JPEG, metadata stripped), or a secure link in the text (files over the
// budget, and everything for numbers outside the US and Canada).
import type { ChannelRules, PlanContext } from '../../../shared/channel-rules.js';
import type { AdapterDeps, OutboundMessage } from '../adapter.js';
import { linkLines, prepareOutbound } from '../prepare-outbound.js';
import type { SmsMediaItem } from './sms-parts.js';

export interface PreparedSmsMedia {
  media: SmsMediaItem[];
  /** "name (size): url" lines for the text. */
  links: string[];
}

export async function prepareSmsMedia(
  message: OutboundMessage,
  rules: ChannelRules,
  context: PlanContext,
  deps: AdapterDeps,
): Promise<PreparedSmsMedia> {
  const items = await prepareOutbound(message, deps, {
    rules,
    ...(context.mediaAllowed === false ? { mediaAllowed: false } : {}),
  });
  const media: SmsMediaItem[] = [];
  for (const item of items) {
    if (item.kind === 'media') media.push({ url: item.url, contentType: item.contentType, size: item.size });
  }
  // The SMS rules never refuse a file (otherwise: 'link'); a refusal would still reach the
  // customer as a link rather than vanish.
  const refused = items
    .filter((item) => item.kind === 'rejected')
    .map((item) => `${item.attachment.name}: ${deps.customerLink(item.attachment.id)}`);
  return { media, links: [...linkLines(items), ...refused] };
}
