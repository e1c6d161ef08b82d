// The attachments of a reply, ready for WhatsApp or Instagram: the shared preparation
// (conversion, fitting, metadata stripped, secure links) for every file, plus audio the
// channel does not take as it is, converted to OGG/Opus when ffmpeg is present (else sent as a
// secure link). Prepared bytes are kept, so a retry reuses them. The agent's order is kept.
import { readFile } from 'node:fs/promises';
import { decideAttachment, familyOf } from '../../../shared/channel-rules.js';
import { isAppError } from '../../errors.js';
import { withCpuSlot } from '../../media/cpu-slots.js';
import { withExtension } from '../../media/sanitize-filename.js';
import { resolveTool } from '../../media/transform/media-tools.js';
import { disposeTempOutput } from '../../media/transform/temp-output.js';
import { transcodeAudioToOpus } from '../../media/transform/transcode-media.js';
import type { AdapterDeps, OutboundAttachment, OutboundMessage } from '../adapter.js';
import { prepareOutbound, type PreparedItem } from '../prepare-outbound.js';

const OPUS_VARIANT = 'opus';

async function opusOf(deps: AdapterDeps, attachment: OutboundAttachment, maxBytes: number) {
  const existing = await deps.findPrepared(attachment.id, OPUS_VARIANT);
  if (existing) return existing;
  const bytes = await withCpuSlot(() =>
    deps.blobs.withLocalFile(attachment.blobKey, async (path) => {
      const output = await transcodeAudioToOpus(path, { maxBytes });
      try {
        return await readFile(output);
      } finally {
        await disposeTempOutput(output);
      }
    }),
  );
  return deps.publishPrepared(attachment.id, OPUS_VARIANT, bytes, 'audio/ogg');
}

async function prepareAudio(deps: AdapterDeps, attachment: OutboundAttachment): Promise<PreparedItem> {
  const decision = decideAttachment(deps.rules, attachment);
  const asLink = (reason: 'type_not_supported' | 'too_large'): PreparedItem => ({
    kind: 'link',
    attachment,
    decision: { action: 'link', reason },
    url: deps.customerLink(attachment.id),
  });
  if (!(await resolveTool('ffmpeg'))) return asLink('type_not_supported');
  try {
    const made = await opusOf(deps, attachment, deps.rules.audio.maxBytes);
    return { kind: 'media', attachment, decision, name: withExtension(attachment.name, 'ogg'), ...made };
  } catch (error) {
    if (isAppError(error) && error.code === 'payload_too_large') return asLink('too_large');
    deps.log.warn(
      { err: error, attachmentId: attachment.id },
      'audio could not be converted; sent as a link',
    );
    return asLink('type_not_supported');
  }
}

/** Prepares every attachment of a message for a Meta channel, in order. */
export async function prepareMetaMedia(message: OutboundMessage, deps: AdapterDeps): Promise<PreparedItem[]> {
  const items: PreparedItem[] = [];
  for (const attachment of message.attachments) {
    const decision = decideAttachment(deps.rules, attachment);
    if (decision.action === 'convert' && familyOf(attachment.contentType) === 'audio') {
      items.push(await prepareAudio(deps, attachment));
      continue;
    }
    const [prepared] = await prepareOutbound({ ...message, attachments: [attachment] }, deps);
    if (prepared) items.push(prepared);
  }
  return items;
}
