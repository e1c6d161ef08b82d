// What every channel does to an agent's attachments before they leave, decided from the
// channel's rules: send as is, convert (HEIC/WebP → JPEG), fit to a byte budget, or fall back
// to a secure link in the text. Every image loses its metadata (EXIF, GPS) on the way out,
// orientation applied first. Prepared bytes are kept as derivatives, so a retry reuses them.
import type { Readable } from 'node:stream';
import {
  decideAttachment,
  familyOf,
  type AttachmentDecision,
  type ChannelRules,
} from '../../shared/channel-rules.js';
import { formatBytes } from '../infra/blobs/metered-stream.js';
import { withCpuSlot } from '../media/cpu-slots.js';
import { withExtension } from '../media/sanitize-filename.js';
import { toJpeg, stripMetadata } from '../media/transform/convert-image.js';
import { fitImageToBudget } from '../media/transform/fit-image-to-budget.js';
import type { AdapterDeps, OutboundAttachment, OutboundMessage } from './adapter.js';

export interface PreparedMedia {
  kind: 'media';
  attachment: OutboundAttachment;
  decision: AttachmentDecision;
  /** What the provider receives. */
  contentType: string;
  size: number;
  name: string;
  /** A signed, expiring link to exactly these bytes, for providers that fetch. */
  url: string;
  /** The bytes, for providers that take uploads. */
  open(): Promise<Readable>;
}

export interface LinkedFile {
  kind: 'link';
  attachment: OutboundAttachment;
  decision: AttachmentDecision;
  /** A longer-lived signed link for the customer to open. */
  url: string;
}

export interface RejectedFile {
  kind: 'rejected';
  attachment: OutboundAttachment;
  decision: AttachmentDecision;
}

export type PreparedItem = PreparedMedia | LinkedFile | RejectedFile;

export interface PrepareOptions {
  /** False when the destination takes no media (MMS outside the US and Canada). */
  mediaAllowed?: boolean;
  rules?: ChannelRules;
}

const STRIPPABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff']);

async function transformed(
  deps: AdapterDeps,
  attachment: OutboundAttachment,
  variant: string,
  make: (path: string) => Promise<{ buffer: Buffer; contentType: string }>,
): Promise<{ url: string; contentType: string; size: number; open(): Promise<Readable> }> {
  const existing = await deps.findPrepared(attachment.id, variant);
  if (existing) return existing;
  const result = await withCpuSlot(() => deps.blobs.withLocalFile(attachment.blobKey, make));
  return deps.publishPrepared(attachment.id, variant, result.buffer, result.contentType);
}

async function prepareOne(
  deps: AdapterDeps,
  rules: ChannelRules,
  attachment: OutboundAttachment,
  options: PrepareOptions,
): Promise<PreparedItem> {
  const decision = decideAttachment(
    rules,
    attachment,
    options.mediaAllowed === false ? { mediaAllowed: false } : {},
  );
  if (decision.action === 'reject') return { kind: 'rejected', attachment, decision };
  if (decision.action === 'link')
    return { kind: 'link', attachment, decision, url: deps.customerLink(attachment.id) };
  const image = familyOf(attachment.contentType) === 'image';
  const jpegName = withExtension(attachment.name, 'jpg');
  if (decision.action === 'fit') {
    const rule = rules.image;
    const made = await transformed(
      deps,
      attachment,
      `fit-${decision.maxBytes}-${rule.fitMaxEdge ?? 0}`,
      async (path) => {
        const fit = await fitImageToBudget(path, {
          maxBytes: decision.maxBytes,
          ...(rule.fitMaxEdge ? { maxEdge: rule.fitMaxEdge } : {}),
          measureSsim: false,
        });
        return { buffer: fit.buffer, contentType: fit.contentType };
      },
    );
    return { kind: 'media', attachment, decision, name: jpegName, ...made };
  }
  if (decision.action === 'convert') {
    const made = await transformed(deps, attachment, 'jpeg', async (path) => {
      const converted = await toJpeg(path, { quality: 88 });
      return { buffer: converted.buffer, contentType: converted.contentType };
    });
    if (made.size > rules.image.maxBytes) {
      return {
        kind: 'link',
        attachment,
        decision: { action: 'link', reason: 'too_large' },
        url: deps.customerLink(attachment.id),
      };
    }
    return { kind: 'media', attachment, decision, name: jpegName, ...made };
  }
  if (image && STRIPPABLE.has(attachment.contentType)) {
    const made = await transformed(deps, attachment, 'clean', async (path) => ({
      buffer: await stripMetadata(path),
      contentType: attachment.contentType,
    }));
    return { kind: 'media', attachment, decision, name: attachment.name, ...made };
  }
  return {
    kind: 'media',
    attachment,
    decision,
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.size,
    url: deps.signedMediaUrl(attachment.id),
    open: () => deps.blobs.read(attachment.blobKey),
  };
}

/** Prepares every attachment of a message, in order. Transforms run one per core at most. */
export async function prepareOutbound(
  message: OutboundMessage,
  deps: AdapterDeps,
  options: PrepareOptions = {},
): Promise<PreparedItem[]> {
  const rules = options.rules ?? deps.rules;
  const items: PreparedItem[] = [];
  for (const attachment of message.attachments)
    items.push(await prepareOne(deps, rules, attachment, options));
  return items;
}

/** Lines to append to the text for files that go as links: "name (size): url". */
export function linkLines(items: readonly PreparedItem[]): string[] {
  return items
    .filter((item): item is LinkedFile => item.kind === 'link')
    .map((item) => `${item.attachment.name} (${formatBytes(item.attachment.size)}): ${item.url}`);
}
