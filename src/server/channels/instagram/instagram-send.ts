// A reply on Instagram: each attachment as its own message through a signed, expiring link
// Meta fetches, then the text as a separate message (Instagram has no caption field), in the
// agent's order. Files Instagram does not take go as secure links in the text. Each accepted
// part is recorded at once, so a retry never sends a part twice.
import { z } from 'zod';
import { familyOf, type MediaFamily } from '../../../shared/channel-rules.js';
import type { AdapterDeps, ChannelRecord, OutboundMessage, SendOutcome, SendProgress } from '../adapter.js';
import { ProviderError } from '../adapter.js';
import { toProviderError } from '../meta/graph-failure.js';
import { prepareMetaMedia } from '../meta/prepare-meta-media.js';
import { linkLines, type PreparedItem, type PreparedMedia } from '../prepare-outbound.js';
import { splitText } from '../meta/split-text.js';
import { instagramClient, instagramConfigOf } from './instagram-config.js';

type IgSendType = 'image' | 'video' | 'audio' | 'file';

export type InstagramPart =
  { kind: 'text'; body: string } | { kind: 'attachment'; file: PreparedMedia; type: IgSendType };

const SEND_TYPES: Record<MediaFamily, IgSendType> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'file',
};

const sendAnswer = z.looseObject({ message_id: z.string().min(1) });

/** The provider messages a reply becomes, in order. Deterministic, so part numbers survive a retry. */
export function planInstagramParts(
  message: OutboundMessage,
  items: readonly PreparedItem[],
  rules: AdapterDeps['rules'],
): InstagramPart[] {
  const refused = items.find((item) => item.kind === 'rejected');
  if (refused) {
    throw new ProviderError(
      'attachment_rejected',
      `"${refused.attachment.name}" cannot be sent on Instagram.`,
      false,
    );
  }
  const parts: InstagramPart[] = items.flatMap((item): InstagramPart[] =>
    item.kind === 'media'
      ? [{ kind: 'attachment', file: item, type: SEND_TYPES[familyOf(item.contentType)] }]
      : [],
  );
  const text = [message.text.trim(), linkLines(items).join('\n')].filter(Boolean).join('\n\n');
  for (const body of splitText(text, rules.textLimit)) parts.push({ kind: 'text', body });
  return parts;
}

/** Whether this reply goes tagged HUMAN_AGENT: the agent asked for it and the channel allows it. */
export const wantsHumanAgentTag = (message: OutboundMessage, allowed: boolean | undefined): boolean =>
  allowed === true && message.meta.humanAgentTag === true;

const describePart = (part: InstagramPart): string =>
  part.kind === 'text' ? 'the text' : `"${part.file.attachment.name}"`;

export async function sendInstagram(
  message: OutboundMessage,
  channel: ChannelRecord,
  deps: AdapterDeps,
  progress: SendProgress,
): Promise<SendOutcome> {
  const config = instagramConfigOf(channel);
  const client = await instagramClient(channel, config, deps);
  const parts = planInstagramParts(message, await prepareMetaMedia(message, deps), deps.rules);
  const tagged = wantsHumanAgentTag(message, config.humanAgentTag);
  const ids: string[] = [];
  for (const [index, part] of parts.entries()) {
    const already = progress.sent.get(index);
    if (already) {
      ids.push(already);
      continue;
    }
    const content =
      part.kind === 'text'
        ? { text: part.body }
        : { attachment: { type: part.type, payload: { url: part.file.url } } };
    try {
      const answer = await client.postJson(
        `${config.accountId}/messages`,
        {
          recipient: { id: message.recipient.externalId },
          message: content,
          ...(tagged ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : {}),
        },
        sendAnswer,
      );
      await progress.record(index, answer.message_id, 'sent');
      ids.push(answer.message_id);
    } catch (error) {
      const mapped = toProviderError('instagram', error);
      if (mapped instanceof ProviderError && parts.length > 1) {
        throw new ProviderError(
          mapped.providerCode,
          `${describePart(part)} (part ${index + 1} of ${parts.length}): ${mapped.message}`,
          mapped.retryable,
          mapped.health,
        );
      }
      throw mapped;
    }
  }
  return { providerMessageIds: ids, status: 'sent' };
}
