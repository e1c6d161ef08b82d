// The webchat channel is ours end to end: visitors write through the widget's API, and a
// reply is "delivered" the moment it is committed for the visitor's socket to pick up. Sending
// checks the files against the channel's rules, so the visitor never gets what the widget
// could not show, and prepares them like every channel does: images lose their metadata
// (EXIF, GPS), what browsers cannot display (HEIC, HEIF, TIFF) becomes JPEG, and the
// visitor's links point at that prepared copy (see visitor-views.ts).
import { decideAttachment } from '../../../shared/channel-rules.js';
import { ProviderError, type ChannelAdapter } from '../adapter.js';
import { prepareOutbound } from '../prepare-outbound.js';
import { webchatConfigSchema, widgetSnippet } from './webchat-config.js';

/** The delivery id of a reply: one part per message, named after it. */
export const webchatDeliveryId = (messageId: string): string => `webchat:${messageId}`;

/** The derivative a converted reply attachment is shown to visitors from. */
export const WEBCHAT_CONVERTED_VARIANT = 'prepared-jpeg';

export function webchatAdapter(): ChannelAdapter {
  return {
    kind: 'webchat',
    configSchema: webchatConfigSchema,
    secretFields: [],
    install: (publicUrl, channelId, options) => ({
      snippet: widgetSnippet(publicUrl, channelId),
      previewUrl: options.demo ? `${publicUrl}/demo?channel=${encodeURIComponent(channelId)}` : null,
    }),
    async send(message, _channel, deps, progress) {
      for (const attachment of message.attachments) {
        const decision = decideAttachment(deps.rules, attachment);
        if (decision.action === 'reject' || decision.action === 'link') {
          throw new ProviderError(
            decision.reason === 'too_large' ? 'too_large' : 'type_not_supported',
            decision.reason === 'too_large'
              ? `"${attachment.name}" is larger than the webchat accepts.`
              : `"${attachment.name}" is of a type the webchat does not deliver.`,
            false,
          );
        }
      }
      if (!progress.sent.has(0)) {
        const prepared = await prepareOutbound(message, deps);
        const failed = prepared.find(
          (item) =>
            item.kind !== 'media' && decideAttachment(deps.rules, item.attachment).action === 'convert',
        );
        if (failed) {
          throw new ProviderError(
            'too_large',
            `"${failed.attachment.name}" is larger than the webchat accepts once converted to JPEG.`,
            false,
          );
        }
      }
      const id = webchatDeliveryId(message.id);
      if (!progress.sent.has(0)) await progress.record(0, id, 'delivered');
      return { providerMessageIds: [id], status: 'delivered' };
    },
  };
}
