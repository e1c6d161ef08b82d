// A reply on WhatsApp: every attachment as its own message (one media per message, in the
// agent's order), uploaded to `/{phone-number-id}/media` and sent by id. The text rides as
// the caption of the first media when that media can carry one and the text fits; otherwise
// it goes first, as its own message. Each accepted part is recorded at once, so a retry
// never sends a part twice.
import { openAsBlob } from 'node:fs';
import { z } from 'zod';
import type { MediaFamily } from '../../../shared/channel-rules.js';
import type { AdapterDeps, ChannelRecord, OutboundMessage, SendOutcome, SendProgress } from '../adapter.js';
import { ProviderError } from '../adapter.js';
import type { GraphClient } from '../meta/graph-client.js';
import { toProviderError } from '../meta/graph-failure.js';
import { linkLines, planAttachments, type PlannedAttachment } from '../meta/outbound-plan.js';
import { splitText } from '../meta/split-text.js';
import { whatsappClient, whatsappConfigOf, type WhatsAppConfig } from './whatsapp-config.js';

type FilePlan = Extract<PlannedAttachment, { kind: 'file' }>;

export type WhatsAppPart =
  { kind: 'text'; body: string } | { kind: 'media'; file: FilePlan; type: MediaFamily; caption?: string };

const CAPTIONED: readonly MediaFamily[] = ['image', 'video', 'document'];

const sendAnswer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });
const uploadAnswer = z.looseObject({ id: z.string().min(1) });

/** The provider messages a reply becomes, in order. Deterministic, so part numbers survive a retry. */
export function planWhatsAppParts(
  message: OutboundMessage,
  deps: Pick<AdapterDeps, 'rules' | 'signedMediaUrl'>,
) {
  const planned = planAttachments(message.attachments, deps);
  const files = planned.filter((item): item is FilePlan => item.kind === 'file');
  const links = linkLines(planned);
  const text = [message.text.trim(), links.join('\n')].filter(Boolean).join('\n\n');
  const first = files[0];
  const captionMax = deps.rules.captionMaxChars ?? 0;
  const asCaption =
    text.length > 0 &&
    first !== undefined &&
    CAPTIONED.includes(first.family) &&
    [...text].length <= captionMax;
  const parts: WhatsAppPart[] = [];
  if (text && !asCaption) {
    for (const body of splitText(text, deps.rules.textLimit)) parts.push({ kind: 'text', body });
  }
  files.forEach((file, index) => {
    parts.push({
      kind: 'media',
      file,
      type: file.family,
      ...(index === 0 && asCaption ? { caption: text } : {}),
    });
  });
  return { parts, hasLinks: links.length > 0 };
}

async function uploadMedia(
  client: GraphClient,
  config: WhatsAppConfig,
  file: FilePlan,
  deps: AdapterDeps,
): Promise<string> {
  const mime = (file.contentType.split(';')[0] ?? file.contentType).trim();
  return deps.blobs.withLocalFile(file.attachment.blobKey, async (path) => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mime);
    form.append('file', await openAsBlob(path, { type: mime }), file.name);
    const answer = await client.postForm(`${config.phoneNumberId}/media`, form, uploadAnswer);
    return answer.id;
  });
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
  const { parts, hasLinks } = planWhatsAppParts(message, deps);
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
