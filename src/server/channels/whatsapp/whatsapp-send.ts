// A reply on WhatsApp: every attachment as its own message (one media per message, in the
// agent's order), uploaded to `/{phone-number-id}/media` and sent by id. The text rides as
// the caption of the first media when that media can carry one and the text fits; otherwise
// it goes first, as its own message. Each accepted part is recorded at once, so a retry
// never sends a part twice.
import { openAsBlob } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { familyOf, type MediaFamily } from '../../../shared/channel-rules.js';
import type { AdapterDeps, ChannelRecord, OutboundMessage, SendOutcome, SendProgress } from '../adapter.js';
import { ProviderError } from '../adapter.js';
import type { GraphClient } from '../meta/graph-client.js';
import { toProviderError } from '../meta/graph-failure.js';
import { prepareMetaMedia } from '../meta/prepare-meta-media.js';
import { splitText } from '../meta/split-text.js';
import { linkLines, type PreparedItem, type PreparedMedia } from '../prepare-outbound.js';
import { whatsappClient, whatsappConfigOf, type WhatsAppConfig } from './whatsapp-config.js';

export type WhatsAppPart =
  | { kind: 'text'; body: string }
  | { kind: 'media'; file: PreparedMedia; type: MediaFamily; caption?: string };

const CAPTIONED: readonly MediaFamily[] = ['image', 'video', 'document'];

const sendAnswer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });
const uploadAnswer = z.looseObject({ id: z.string().min(1) });

/** The provider messages a reply becomes, in order. Deterministic, so part numbers survive a retry. */
export function planWhatsAppParts(
  message: OutboundMessage,
  items: readonly PreparedItem[],
  rules: AdapterDeps['rules'],
): { parts: WhatsAppPart[]; hasLinks: boolean } {
  const refused = items.find((item) => item.kind === 'rejected');
  if (refused) {
    throw new ProviderError(
      'attachment_rejected',
      `"${refused.attachment.name}" cannot be sent on WhatsApp.`,
      false,
    );
  }
  const files = items.filter((item): item is PreparedMedia => item.kind === 'media');
  const links = linkLines(items);
  const text = [message.text.trim(), links.join('\n')].filter(Boolean).join('\n\n');
  const first = files[0];
  const asCaption =
    text.length > 0 &&
    first !== undefined &&
    CAPTIONED.includes(familyOf(first.contentType)) &&
    [...text].length <= (rules.captionMaxChars ?? 0);
  const parts: WhatsAppPart[] = [];
  if (text && !asCaption) {
    for (const body of splitText(text, rules.textLimit)) parts.push({ kind: 'text', body });
  }
  files.forEach((file, index) => {
    parts.push({
      kind: 'media',
      file,
      type: familyOf(file.contentType),
      ...(index === 0 && asCaption ? { caption: text } : {}),
    });
  });
  return { parts, hasLinks: links.length > 0 };
}

/** Whether the provider gets the stored original (streamed from its file) rather than prepared bytes. */
const isOriginal = (file: PreparedMedia): boolean =>
  file.decision.action === 'send' &&
  familyOf(file.contentType) !== 'image' &&
  file.contentType === file.attachment.contentType &&
  file.size === file.attachment.size;

async function uploadMedia(
  client: GraphClient,
  config: WhatsAppConfig,
  file: PreparedMedia,
  deps: AdapterDeps,
): Promise<string> {
  const mime = (file.contentType.split(';')[0] ?? file.contentType).trim();
  const post = async (blob: Blob): Promise<string> => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mime);
    form.append('file', blob, file.name);
    return (await client.postForm(`${config.phoneNumberId}/media`, form, uploadAnswer)).id;
  };
  if (isOriginal(file)) {
    return deps.blobs.withLocalFile(file.attachment.blobKey, async (path) =>
      post(await openAsBlob(path, { type: mime })),
    );
  }
  // Prepared bytes are small (fitted images, Opus audio).
  const bytes = await buffer(await file.open());
  return post(new Blob([new Uint8Array(bytes)], { type: mime }));
}

function messageBody(to: string, part: WhatsAppPart, mediaId: string | undefined, previewUrl: boolean) {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (part.kind === 'text')
    return { ...base, type: 'text', text: { body: part.body, preview_url: previewUrl } };
  const media: Record<string, string> = { id: mediaId ?? '' };
  if (part.caption) media.caption = part.caption;
  if (part.type === 'document') media.filename = part.file.name;
  return { ...base, type: part.type, [part.type]: media };
}

const describePart = (part: WhatsAppPart): string =>
  part.kind === 'text' ? 'the text' : `"${part.file.attachment.name}"`;

export async function sendWhatsApp(
  message: OutboundMessage,
  channel: ChannelRecord,
  deps: AdapterDeps,
  progress: SendProgress,
): Promise<SendOutcome> {
  const config = whatsappConfigOf(channel);
  const client = await whatsappClient(channel, config, deps);
  const items = await prepareMetaMedia(message, deps);
  const { parts, hasLinks } = planWhatsAppParts(message, items, deps.rules);
  const ids: string[] = [];
  for (const [index, part] of parts.entries()) {
    const already = progress.sent.get(index);
    if (already) {
      ids.push(already);
      continue;
    }
    try {
      const mediaId = part.kind === 'media' ? await uploadMedia(client, config, part.file, deps) : undefined;
      const answer = await client.postJson(
        `${config.phoneNumberId}/messages`,
        messageBody(message.recipient.externalId, part, mediaId, hasLinks),
        sendAnswer,
      );
      const wamid = (answer.messages[0] as { id: string }).id;
      await progress.record(index, wamid, 'sent');
      ids.push(wamid);
    } catch (error) {
      const mapped = toProviderError('whatsapp', error);
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
