// The one way raw MIME enters the helpdesk, whichever door it came through (IMAP, our SMTP
// listener, the webhook): staged to disk while it arrives (so a dropped connection leaves
// nothing half-imported), parsed from there with its attachments staged into the blob store,
// threaded, and handed to the core's `ingestMessage`. The media job later reads each staged
// part back through the adapter's `fetchMedia` and checks, stores and derives it like any
// other provider media. Memory stays flat: bytes only ever move stream to file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { Deps } from '../../context.js';
import { discardIfUnreferenced } from '../../domain/blobs.js';
import { ingestMessage, type IngestResult } from '../../domain/inbound.js';
import { isAppError } from '../../errors.js';
import type { StagedBlob } from '../../infra/blobs/blob-store.js';
import { formatBytes } from '../../infra/blobs/metered-stream.js';
import type { ChannelRecord, InboundAttachment, InboundMessageEvent } from '../adapter.js';
import { acknowledgeNewTicket } from './acknowledge.js';
import { buildEmailEvent, type EmailMeta, type Ingress } from './build-email-event.js';
import type { EmailConfig } from './email-config.js';
import { expandTnef } from './expand-tnef.js';
import { emailLimits, maxMessageBytes } from './email-limits.js';
import { EmailParseError, parseEmail, type ParsedEmail, type ParsedPart } from './parse-email.js';
import { decideThread } from './threading.js';

export interface RawEmail {
  stream: Readable;
  via: Ingress;
  /** Envelope recipients (RCPT TO), when the door knows them. */
  envelopeTo?: string[];
  /** The size the door announced (IMAP RFC822.SIZE, SMTP SIZE=, Content-Length), if any. */
  declaredSize?: number;
}

export interface EmailIngestOutcome {
  result: IngestResult | null;
  /** Why nothing was stored: a copy of our own reply coming back. */
  skipped?: 'own-copy';
  tooLarge: boolean;
}

/** Passes bytes through, keeping the first `limit` of them and counting all. */
class HeadCapture extends Transform {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    if (this.kept < this.limit) {
      const slice = chunk.subarray(0, this.limit - this.kept);
      this.chunks.push(Buffer.from(slice));
      this.kept += slice.length;
    }
    done(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The header block of a message (up to the first blank line). */
function headerBlock(head: Buffer): Buffer {
  const text = head.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? head : head.subarray(0, end + 2);
}

async function parseHeaders(deps: Pick<Deps, 'blobs'>, head: Buffer): Promise<ParsedEmail | null> {
  try {
    return await parseEmail(deps.blobs, Readable.from([headerBlock(head)]), { partBytes: 0, maxParts: 0 });
  } catch {
    return null;
  }
}

const digestId = (sha256: string) => `<${sha256.slice(0, 40)}@digest.switchboard.invalid>`;

async function discardParts(deps: Deps, parts: ParsedPart[]): Promise<void> {
  const keys = new Set(parts.map((part) => part.blobKey).filter((key): key is string => key !== null));
  for (const key of keys) await discardIfUnreferenced(deps, key);
}

function recipientsOf(parsed: ParsedEmail, raw: RawEmail): string[] {
  return [
    ...parsed.to.map((a) => a.address),
    ...parsed.cc.map((a) => a.address),
    ...parsed.deliveredTo,
    ...(raw.envelopeTo ?? []).map((a) => a.toLowerCase()),
  ];
}

/** Reads one raw message and stores it (or finds it already stored). */
export async function ingestRawEmail(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  raw: RawEmail,
): Promise<EmailIngestOutcome> {
  const cap = maxMessageBytes(deps.config.maxInboundMediaBytes);
  const capture = new HeadCapture(emailLimits.headerBytes);
  // Errors of the door's stream (a connection dropped mid-download) fail the staging below;
  // the listeners stay for the life of both streams, so a late error is never unhandled.
  raw.stream.on('error', (error) => capture.destroy(error));
  capture.on('error', () => undefined);
  let staged: StagedBlob;
  try {
    staged = await deps.blobs.stage(raw.stream.pipe(capture), { maxBytes: cap });
  } catch (error) {
    if (isAppError(error) && error.code === 'payload_too_large') {
      raw.stream.resume();
      return ingestTooLarge(deps, channel, raw, capture.head(), raw.declaredSize ?? null, cap);
    }
    throw error;
  }
  try {
    let parsed: ParsedEmail;
    try {
      parsed = await parseEmail(deps.blobs, createReadStream(staged.localPath), {
        partBytes: deps.config.maxInboundMediaBytes,
      });
    } catch (error) {
      if (!(error instanceof EmailParseError)) throw error;
      await discardParts(deps, error.parts);
      return await ingestUnreadable(deps, channel, raw, staged, capture.head(), error.message);
    }
    const empty = !parsed.text.trim() && !parsed.html?.trim() && parsed.parts.length === 0;
    if (empty && staged.size > headerBlock(capture.head()).length + 256) {
      return await ingestUnreadable(
        deps,
        channel,
        raw,
        staged,
        capture.head(),
        'no readable text or attachment was found',
      );
    }
    await expandTnef(deps, parsed, deps.config.maxInboundMediaBytes);
    return await ingestParsed(deps, channel, raw, parsed, staged);
  } finally {
    await staged.discard();
  }
}

async function ingestParsed(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  raw: RawEmail,
  parsed: ParsedEmail,
  staged: StagedBlob,
): Promise<EmailIngestOutcome> {
  const providerMessageId = parsed.messageId ?? digestId(staged.sha256);
  const extraKeys: string[] = [];
  try {
    if (parsed.from?.address === channel.config.address) {
      const ours = await deps.db
        .selectFrom('deliveries')
        .select('id')
        .where('channelId', '=', channel.id)
        .where('providerMessageId', '=', providerMessageId)
        .executeTakeFirst();
      if (ours) {
        await discardParts(deps, parsed.parts);
        return { result: null, skipped: 'own-copy', tooLarge: false };
      }
    }
    const decision = await decideThread(deps.db, channel, {
      sender: parsed.from?.address ?? '',
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      recipients: recipientsOf(parsed, raw),
      subject: parsed.subject,
    });
    // Parts past the cap are not parsed (it protects the server), but nothing is lost: the
    // original message is kept beside the parts that were, as message.eml.
    const original = parsed.skippedParts > 0 ? await keepOriginal(staged, extraKeys) : [];
    const { event, meta } = buildEmailEvent({
      parsed,
      providerMessageId,
      ourAddress: channel.config.address,
      partCap: deps.config.maxInboundMediaBytes,
      via: raw.via,
      threadedBy: decision.by,
      extra: original,
    });
    const htmlLength = (meta.html?.length ?? 0) + (meta.quotedHtml?.length ?? 0);
    if (htmlLength > emailLimits.maxStoredHtmlChars) {
      const whole = Buffer.from(`${meta.html ?? ''}${meta.quotedHtml ?? ''}`, 'utf8');
      const stored = await deps.blobs.stage(Readable.from([whole]), { maxBytes: whole.length + 1 });
      const key = await stored.commit();
      extraKeys.push(key);
      meta.htmlAttachment = event.attachments.length;
      meta.html = null;
      meta.quotedHtml = null;
      meta.notes.push('The HTML of this message was too long to show here; it is attached as message.html.');
      event.attachments.push({
        name: 'message.html',
        declaredType: 'text/html',
        declaredSize: whole.length,
        source: { blob: key },
        meta: { inline: false, disposition: 'attachment' },
      });
    }
    const result = await ingestMessage(
      deps,
      channel,
      { ...event, thread: decision.thread },
      { onNewTicket: acknowledgeNewTicket(channel, meta) },
    );
    if (result.duplicate) {
      await discardParts(deps, parsed.parts);
      for (const key of extraKeys) await discardIfUnreferenced(deps, key);
    }
    return { result, tooLarge: false };
  } catch (error) {
    await discardParts(deps, parsed.parts);
    for (const key of extraKeys) await discardIfUnreferenced(deps, key);
    throw error;
  }
}

/** The staged raw message committed to the blob store, as a `message.eml` attachment. */
async function keepOriginal(staged: StagedBlob, keys: string[]): Promise<InboundAttachment[]> {
  const key = await staged.commit();
  keys.push(key);
  return [
    {
      name: 'message.eml',
      declaredType: 'message/rfc822',
      declaredSize: staged.size,
      source: { blob: key, original: true },
      meta: { inline: false, disposition: 'attachment', original: true },
    },
  ];
}

function fallbackEvent(
  parsed: ParsedEmail | null,
  providerMessageId: string,
  text: string,
  via: Ingress,
  notes: string[],
  attachments: InboundAttachment[],
  extraMeta: Partial<EmailMeta>,
): InboundMessageEvent {
  const meta: EmailMeta = {
    messageId: providerMessageId,
    inReplyTo: parsed?.inReplyTo ?? [],
    references: parsed?.references ?? [],
    from: parsed?.from ?? null,
    to: parsed?.to ?? [],
    cc: parsed?.cc ?? [],
    replyTo: parsed?.replyTo ?? [],
    subject: parsed?.subject ?? '',
    date: parsed?.date ?? null,
    html: null,
    quotedHtml: null,
    quotedText: null,
    remoteImagesBlocked: 0,
    inline: [],
    automated: null,
    threadedBy: 'new',
    via,
    notes,
    ...extraMeta,
  };
  const sender = parsed?.from;
  return {
    type: 'message',
    providerMessageId,
    from: {
      externalId: sender?.address ?? 'unknown-sender@invalid',
      ...(sender?.name ? { name: sender.name } : {}),
      ...(sender ? { email: sender.address } : {}),
    },
    text,
    subject: parsed?.subject || '(no subject)',
    attachments,
    meta: { email: meta },
  };
}

async function threadOf(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  parsed: ParsedEmail | null,
  raw: RawEmail,
) {
  if (!parsed) return { thread: 'new' as const, by: 'new' as const };
  return decideThread(deps.db, channel, {
    sender: parsed.from?.address ?? '',
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    recipients: recipientsOf(parsed, raw),
    subject: parsed.subject,
  });
}

/** For a door that knows a message is too large before reading it (IMAP): store its headers. */
export async function ingestTooLargeEmail(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  input: { head: Buffer; size: number; via: Ingress },
): Promise<EmailIngestOutcome> {
  const cap = maxMessageBytes(deps.config.maxInboundMediaBytes);
  return ingestTooLarge(
    deps,
    channel,
    { stream: Readable.from([]), via: input.via },
    input.head,
    input.size,
    cap,
  );
}

/** Over the size cap: an entry with the headers and the size, so the agent knows it came. */
async function ingestTooLarge(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  raw: RawEmail,
  head: Buffer,
  size: number | null,
  cap: number,
): Promise<EmailIngestOutcome> {
  const parsed = await parseHeaders(deps, head);
  const providerMessageId = parsed?.messageId ?? digestId(createHash('sha256').update(head).digest('hex'));
  const decision = await threadOf(deps, channel, parsed, raw);
  const text = `This e-mail was too large to import (${size ? formatBytes(size) : `over ${formatBytes(cap)}`}; the limit is ${formatBytes(cap)}). Only its headers were kept: ask the customer to send the files as links or over several messages.`;
  const event = fallbackEvent(parsed, providerMessageId, text, raw.via, [], [], {
    tooLarge: { size, limit: cap },
    threadedBy: decision.by,
  });
  const result = await ingestMessage(deps, channel, { ...event, thread: decision.thread });
  return { result, tooLarge: true };
}

/** MIME the parser gave up on: the original is kept as message.eml, with the reason. */
async function ingestUnreadable(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  raw: RawEmail,
  staged: StagedBlob,
  head: Buffer,
  reason: string,
): Promise<EmailIngestOutcome> {
  const parsed = await parseHeaders(deps, head);
  const providerMessageId = parsed?.messageId ?? digestId(staged.sha256);
  const key = await staged.commit();
  try {
    const decision = await threadOf(deps, channel, parsed, raw);
    const event = fallbackEvent(
      parsed,
      providerMessageId,
      `This e-mail could not be read (${reason}). The original is attached as message.eml.`,
      raw.via,
      [`Unreadable MIME: ${reason}`],
      [
        {
          name: 'message.eml',
          declaredType: 'message/rfc822',
          declaredSize: staged.size,
          source: { blob: key, original: true },
          meta: { inline: false, disposition: 'attachment', original: true },
        },
      ],
      { threadedBy: decision.by },
    );
    const result = await ingestMessage(deps, channel, { ...event, thread: decision.thread });
    if (result.duplicate) await discardIfUnreferenced(deps, key);
    return { result, tooLarge: false };
  } catch (error) {
    await discardIfUnreferenced(deps, key);
    throw error;
  }
}
