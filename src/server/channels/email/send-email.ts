// An agent's reply as an e-mail through the channel's SMTP relay: HTML with a plain-text
// alternative, small images inline (`cid:`) beside the text, other files attached up to the
// budget and the rest as secure expiring links, threaded with Message-ID, In-Reply-To and
// References, and a Reply-To that carries the ticket's token. Delivery is `sent` when the
// relay accepts the message; a refusal fails it with the relay's own words.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { attachmentBudgetOf } from '../../../shared/channel-plan.js';
import { planMessageBudget } from '../../../shared/channel-rules.js';
import { prepareOutbound, type LinkedFile, type PreparedMedia } from '../prepare-outbound.js';
import type { AdapterDeps, ChannelRecord, OutboundMessage, SendOutcome, SendProgress } from '../adapter.js';
import { formatBytes } from '../../infra/blobs/metered-stream.js';
import { emailLimitsOf, type EmailConfig } from './email-config.js';
import { emailLimits } from './email-limits.js';
import { smtpFailure } from './smtp-errors.js';
import { replyAddress, replyToken } from './threading.js';

const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  pass?: string | undefined;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** Our Message-ID for a reply: stable for the message, so a retry sends the same one. */
export function outboundMessageId(messageId: string, address: string): string {
  const tag = createHash('sha256').update(`${messageId}\n${address}`).digest('hex').slice(0, 12);
  return `<${messageId}.${tag}@${domainOf(address)}>`;
}

export function replySubject(subject: string, number: number, isReply: boolean): string {
  const base = subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim() || `Ticket ${number}`;
  const prefixed = isReply && !/^(re|aw|sv|antw):/i.test(base) ? `Re: ${base}` : base;
  return `${prefixed} [#${number}]`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((block) => block.trim())
    .map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

interface Composed {
  mail: Mail.Options;
  /** Files sent as links (too large for the budget, or after conversion). */
  linked: Array<{ name: string; size: number; url: string }>;
}

export async function composeEmail(
  message: OutboundMessage,
  channel: ChannelRecord<EmailConfig>,
  deps: AdapterDeps,
): Promise<Composed> {
  const config = channel.config;
  // The same budget the composer plans with (see `planReply`).
  const budget = attachmentBudgetOf(deps.rules, emailLimitsOf(config));
  // Shared preparation first (HEIC → JPEG, metadata stripped), then the budget over what it made.
  const items = await prepareOutbound(message, deps);
  const media = items.filter((item): item is PreparedMedia => item.kind === 'media');
  const plan = planMessageBudget(deps.rules, media, budget);
  const ttl = deps.config.customerLinkTtlSeconds;
  const links = [
    ...items
      .filter((item): item is LinkedFile => item.kind === 'link')
      .map((item) => ({ name: item.attachment.name, size: item.attachment.size, url: item.url })),
    ...plan.linked.map((item) => ({
      name: item.name,
      size: item.attachment.size,
      url: deps.customerLink(item.attachment.id),
    })),
  ];
  const inline = plan.attached.filter(
    (item) => INLINE_TYPES.has(item.contentType) && item.size <= emailLimits.inlineImageMaxBytes,
  );
  const messageId = outboundMessageId(message.id, config.address);
  const cidOf = (item: PreparedMedia) => `${item.attachment.id}@${domainOf(config.address)}`;

  let text = message.text;
  let html = paragraphs(message.text);
  for (const file of inline) {
    html += `\n<p><img src="cid:${cidOf(file)}" alt="${escapeHtml(file.name)}" style="max-width:100%;height:auto"></p>`;
  }
  if (links.length) {
    const until = new Date(deps.now() + ttl * 1000).toISOString().slice(0, 10);
    text += `\n\nFiles too large to attach (links valid until ${until}):\n${links
      .map(({ name, size, url }) => `- ${name} (${formatBytes(size)}): ${url}`)
      .join('\n')}`;
    html += `\n<p>Files too large to attach (links valid until ${until}):</p>\n<ul>${links
      .map(
        ({ name, size, url }) =>
          `<li><a href="${escapeHtml(url)}">${escapeHtml(name)}</a> (${formatBytes(size)})</li>`,
      )
      .join('')}</ul>`;
  }
  const attachments: Mail.Attachment[] = [];
  for (const file of plan.attached) {
    const isInline = inline.includes(file);
    attachments.push({
      filename: file.name,
      contentType: file.contentType,
      content: await file.open(),
      ...(isInline ? { cid: cidOf(file), contentDisposition: 'inline' as const } : {}),
    });
  }
  const earlier = (message.earlier ?? [])
    .map((entry) => entry.providerMessageId)
    .filter((id) => /^<[^<>\s]+>$/.test(id));
  const lastInbound = [...(message.earlier ?? [])].reverse().find((entry) => entry.direction === 'inbound');
  const inReplyTo =
    lastInbound && /^<[^<>\s]+>$/.test(lastInbound.providerMessageId)
      ? lastInbound.providerMessageId
      : earlier.at(-1);
  const token = replyToken(config.replyTokenKey, channel.id, {
    id: message.ticketId,
    number: message.ticketNumber,
  });
  const recipient = message.recipient.email ?? message.recipient.externalId;
  return {
    linked: links,
    mail: {
      messageId,
      from: { name: config.fromName ?? channel.name, address: config.address },
      to:
        message.recipient.name && message.recipient.name !== recipient
          ? { name: message.recipient.name, address: recipient }
          : recipient,
      replyTo: { name: config.fromName ?? channel.name, address: replyAddress(config.address, token) },
      subject: replySubject(message.ticketSubject ?? '', message.ticketNumber, earlier.length > 0),
      text,
      html: `<!doctype html><html><body>${html}</body></html>`,
      attachments,
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(earlier.length ? { references: earlier.slice(-emailLimits.maxReferences) } : {}),
      headers: {
        'X-Switchboard-Ticket': String(message.ticketNumber),
        // RFC 3834: an automatic answer says so, and asks the other side's robots not to answer it.
        ...(message.meta.acknowledgement === true
          ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
          : {}),
      },
    },
  };
}

export async function sendEmail(
  message: OutboundMessage,
  channel: ChannelRecord<EmailConfig>,
  deps: AdapterDeps,
  progress: SendProgress,
  target: SmtpTarget,
): Promise<SendOutcome> {
  const done = progress.sent.get(0);
  if (done) return { providerMessageIds: [done], status: 'sent' };
  const { mail } = await composeEmail(message, channel, deps);
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.user ? { auth: { user: target.user, pass: target.pass ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  });
  try {
    const info: { accepted?: unknown[]; rejected?: unknown[]; response?: string } =
      await transport.sendMail(mail);
    if (!info.accepted?.length) {
      throw smtpFailure({ responseCode: 550, response: info.response ?? 'no recipient was accepted' });
    }
  } catch (error) {
    for (const attachment of mail.attachments ?? []) {
      const content = attachment.content;
      if (
        content &&
        typeof content === 'object' &&
        'destroy' in content &&
        typeof content.destroy === 'function'
      )
        content.destroy();
    }
    throw smtpFailure(error);
  } finally {
    transport.close();
  }
  const messageId = mail.messageId as string;
  await progress.record(0, messageId, 'sent');
  return { providerMessageIds: [messageId], status: 'sent' };
}
