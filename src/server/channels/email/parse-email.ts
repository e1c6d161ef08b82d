// Raw MIME → what the helpdesk keeps of it, in one streaming pass with mailparser: the
// headers, the text and HTML bodies (bounded), and every attachment staged straight into the
// blob store as it is decoded, so a message's size never shows in memory. The caller turns the
// result into an inbound message; staged parts are referenced by blob key.
import type { Readable } from 'node:stream';
import { MailParser, type AddressObject, type AttachmentStream, type Headers } from 'mailparser';
import { isAppError } from '../../errors.js';
import type { BlobStore } from '../../infra/blobs/blob-store.js';
import { emailLimits } from './email-limits.js';

export interface Address {
  address: string;
  name: string;
}

export interface ParsedPart {
  /** Null when nothing was kept (empty, or over the size cap). */
  blobKey: string | null;
  size: number;
  name: string | undefined;
  contentType: string;
  /** Content-ID without angle brackets. */
  contentId: string | undefined;
  contentLocation: string | undefined;
  disposition: 'inline' | 'attachment';
  tooLarge: boolean;
  /** Taken out of an Outlook winmail.dat (TNEF) container. */
  fromTnef?: boolean;
}

export interface ParsedEmail {
  headers: Headers;
  from: Address | null;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  /** Addresses the message was delivered to (Delivered-To, X-Original-To, envelope). */
  deliveredTo: string[];
  subject: string;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  date: number | null;
  text: string;
  html: string | null;
  parts: ParsedPart[];
  /** Parts left out because the message had more than `maxParts`. */
  skippedParts: number;
}

/** The message could not be read; `parts` were staged (and committed) before it failed. */
export class EmailParseError extends Error {
  constructor(
    cause: unknown,
    readonly parts: ParsedPart[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'EmailParseError';
  }
}

export interface ParseLimits {
  /** Bytes one part may have before it is kept as "too large". */
  partBytes: number;
  maxParts?: number;
}

function addresses(value: unknown): Address[] {
  const objects = (Array.isArray(value) ? value : value ? [value] : []) as AddressObject[];
  const flat: Address[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address)
        flat.push({ address: entry.address.trim().toLowerCase(), name: entry.name.trim() });
    }
  };
  for (const object of objects) if (object && Array.isArray(object.value)) visit(object.value);
  return flat;
}

/** Message-IDs in a header value, angle brackets kept, in order, without repeats. */
export function messageIds(value: unknown): string[] {
  const text = (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string').join(' ');
  const found = text.match(/<[^<>\s]{1,250}>/g) ?? [];
  return [...new Set(found)].slice(-emailLimits.maxReferences);
}

const headerText = (headers: Headers, name: string): string => {
  const value = headers.get(name);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(', ');
  return '';
};

export { headerText };

/** Reads the message from `source`, staging its attachments in `blobs`. */
export async function parseEmail(
  blobs: BlobStore,
  source: Readable,
  limits: ParseLimits,
): Promise<ParsedEmail> {
  const maxParts = limits.maxParts ?? emailLimits.maxParts;
  const parser = new MailParser({
    skipImageLinks: true,
    maxHtmlLengthToParse: emailLimits.maxHtmlChars,
    // Passed on to the MIME splitter: a message with more nodes than this is unreadable.
    ...{ maxChildNodes: emailLimits.maxMimeNodes },
  });
  let headers: Headers = new Map();
  let text = '';
  let html: string | null = null;
  const parts: ParsedPart[] = [];
  const pending: Array<Promise<void>> = [];
  const open = new Set<Readable>();
  let skippedParts = 0;

  const stagePart = async (attachment: AttachmentStream): Promise<void> => {
    const release = () => attachment.release?.();
    const contentLocation = headerText(attachment.headers, 'content-location') || undefined;
    const part: ParsedPart = {
      blobKey: null,
      size: 0,
      name: attachment.filename,
      contentType: attachment.contentType.toLowerCase(),
      contentId: attachment.cid || undefined,
      contentLocation,
      disposition: attachment.contentDisposition === 'inline' ? 'inline' : 'attachment',
      tooLarge: false,
    };
    parts.push(part);
    open.add(attachment.content);
    try {
      const staged = await blobs.stage(attachment.content, { maxBytes: limits.partBytes });
      part.size = staged.size;
      if (staged.size === 0) await staged.discard();
      else part.blobKey = await staged.commit();
    } catch (error) {
      if (!(isAppError(error) && error.code === 'payload_too_large')) throw error;
      part.tooLarge = true;
      part.size = limits.partBytes + 1;
      attachment.content.resume();
    } finally {
      open.delete(attachment.content);
      release();
    }
  };

  const done = new Promise<void>((resolve, reject) => {
    parser.on('headers', (value: Headers) => {
      headers = value;
    });
    parser.on('data', (data: AttachmentStream | { type: 'text'; text?: string; html?: string }) => {
      if (data.type === 'attachment') {
        if (parts.length >= maxParts) {
          skippedParts += 1;
          data.content.on('end', () => data.release?.());
          data.content.resume();
          return;
        }
        pending.push(stagePart(data));
      } else {
        text = data.text ?? '';
        html = data.html ?? null;
      }
    });
    parser.on('end', resolve);
    parser.on('error', reject);
    source.on('error', (error) => parser.destroy(error));
  });
  source.pipe(parser);
  const failure = await done.then(
    () => null,
    (error: unknown) => {
      // Parts being staged when the parser failed will not end by themselves.
      for (const stream of open) stream.destroy(error instanceof Error ? error : new Error(String(error)));
      return error ?? new Error('The message could not be read.');
    },
  );
  const staging = await Promise.allSettled(pending);
  const stagingFailure = staging.find((result) => result.status === 'rejected');
  if (failure || stagingFailure) {
    throw new EmailParseError(failure ?? (stagingFailure as PromiseRejectedResult).reason, parts);
  }

  const date = headers.get('date');
  return {
    headers,
    from: addresses(headers.get('from'))[0] ?? null,
    to: addresses(headers.get('to')),
    cc: addresses(headers.get('cc')),
    replyTo: addresses(headers.get('reply-to')),
    deliveredTo: [
      ...addresses(headers.get('delivered-to')).map((a) => a.address),
      ...headerText(headers, 'x-original-to')
        .split(',')
        .map((a) => a.trim().toLowerCase())
        .filter((a) => a.includes('@')),
    ],
    subject: headerText(headers, 'subject').replace(/\s+/g, ' ').trim(),
    messageId: messageIds(headers.get('message-id'))[0] ?? null,
    inReplyTo: messageIds(headers.get('in-reply-to')),
    references: messageIds(headers.get('references')),
    date: date instanceof Date && !Number.isNaN(date.getTime()) ? date.getTime() : null,
    text,
    html,
    parts,
    skippedParts,
  };
}
