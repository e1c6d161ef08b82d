// What becomes of each attachment of a reply on a Meta channel, from the channel's rules:
// delivered as a file (as it is, or as bytes prepared for the channel), or replaced by a
// secure link in the text. The order of the agent's attachments is kept.
import { decideAttachment, familyOf, type MediaFamily } from '../../../shared/channel-rules.js';
import type { AdapterDeps, OutboundAttachment } from '../adapter.js';

export type PlannedAttachment =
  | {
      kind: 'file';
      attachment: OutboundAttachment;
      family: MediaFamily;
      contentType: string;
      name: string;
    }
  | { kind: 'link'; attachment: OutboundAttachment; url: string; reason: string };

const LINK_REASONS: Record<string, string> = {
  too_large: 'too large for the channel',
  type_not_supported: 'a type the channel does not deliver',
  destination: 'media cannot reach this destination',
};

export function planAttachments(
  attachments: readonly OutboundAttachment[],
  deps: Pick<AdapterDeps, 'rules' | 'signedMediaUrl'>,
): PlannedAttachment[] {
  return attachments.map((attachment) => {
    const decision = decideAttachment(deps.rules, {
      contentType: attachment.contentType,
      size: attachment.size,
    });
    if (decision.action === 'send') {
      return {
        kind: 'file',
        attachment,
        family: familyOf(attachment.contentType),
        contentType: attachment.contentType,
        name: attachment.name,
      };
    }
    const reason =
      decision.action === 'link' || decision.action === 'reject'
        ? (LINK_REASONS[decision.reason] ?? decision.reason)
        : 'needs converting for the channel';
    return { kind: 'link', attachment, url: deps.signedMediaUrl(attachment.id), reason };
  });
}

/** The lines appended to a reply for attachments sent as links. */
export function linkLines(planned: readonly PlannedAttachment[]): string[] {
  return planned.flatMap((item) => (item.kind === 'link' ? [`${item.attachment.name}: ${item.url}`] : []));
}
