// The e-mail channel's simulator: the customers' mail server, a loopback SMTP peer started
// inside the app for one channel in simulator mode. The channel sends its replies to it (its
// `smtp://` base URL replaces the relay), and it keeps them in a bounded in-memory mailbox the
// customer page shows like a mail client.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ChannelRecord } from '../../channels/adapter.js';
import type { ChannelSimulator, RunningSimulator } from '../simulator-host.js';

export interface MailFile {
  name: string;
  contentType: string;
  size: number;
  bytes: Buffer;
  inline: boolean;
}

export interface MailboxMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  /** The customer's address: the recipient of replies, the sender of their own mail. */
  customer: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  /** The HTML the helpdesk sent (inline images as data: URIs), shown in a sandboxed frame. */
  html: string | null;
  messageId: string | null;
  replyTo: string | null;
  files: MailFile[];
  at: number;
  status: 'delivered' | 'failed';
}

export interface Mailbox {
  record(message: Omit<MailboxMessage, 'id'>): MailboxMessage;
  customers(): Array<{ address: string; lastAt: number; preview: string; messages: number }>;
  addCustomer(address: string, at: number): void;
  hasCustomer(address: string): boolean;
  conversation(address: string): MailboxMessage[];
  find(id: string): MailboxMessage | undefined;
}

export function createMailbox(limits: { maxMessages: number; maxBytes: number }): Mailbox {
  const messages: MailboxMessage[] = [];
  const known = new Map<string, number>();
  let counter = 0;
  const bytesOf = (message: MailboxMessage) => message.files.reduce((sum, file) => sum + file.size, 0);
  return {
    record(input) {
      const message = { ...input, id: `m${++counter}` };
      messages.push(message);
      known.set(message.customer, message.at);
      let total = messages.reduce((sum, item) => sum + bytesOf(item), 0);
      while (messages.length > limits.maxMessages || (total > limits.maxBytes && messages.length > 1)) {
        const dropped = messages.shift() as MailboxMessage;
        total -= bytesOf(dropped);
      }
      return message;
    },
    customers() {
      return [...known.entries()]
        .map(([address, since]) => {
          const thread = messages.filter((message) => message.customer === address);
          const last = thread.at(-1);
          return {
            address,
            lastAt: last?.at ?? since,
            preview: last ? last.subject || last.text.slice(0, 80) : '',
            messages: thread.length,
          };
        })
        .sort((a, b) => b.lastAt - a.lastAt);
    },
    addCustomer(address, at) {
      if (!known.has(address)) known.set(address, at);
    },
    hasCustomer: (address) => known.has(address),
    conversation: (address) => messages.filter((message) => message.customer === address),
    find: (id) => messages.find((message) => message.id === id),
  };
}

export interface EmailSimulatorInstance extends RunningSimulator {
  mailbox: Mailbox;
  /** The channel's address, which simulated customers write to. */
  address: string;
}

const MAX_MAIL_BYTES = 40 * 1024 * 1024;

const addressOf = (channel: ChannelRecord): string =>
  typeof channel.config.address === 'string' ? channel.config.address : 'support@helpdesk.example';

export const emailSimulator: ChannelSimulator<EmailSimulatorInstance> = {
  kind: 'email',
  fingerprint: (channel) => addressOf(channel),
  async start(channel, { log }) {
    const mailbox = createMailbox({ maxMessages: 1000, maxBytes: 64 * 1024 * 1024 });
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      size: MAX_MAIL_BYTES,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(
              Object.assign(new Error('5.3.4 Message too big for the customer'), { responseCode: 552 }),
            );
            return;
          }
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              for (const rcpt of session.envelope.rcptTo) {
                mailbox.record({
                  direction: 'to-customer',
                  customer: rcpt.address.toLowerCase(),
                  from: parsed.from?.text ?? '',
                  to: rcpt.address,
                  subject: parsed.subject ?? '',
                  text: parsed.text ?? '',
                  html: typeof parsed.html === 'string' ? parsed.html : null,
                  messageId: parsed.messageId ?? null,
                  replyTo: parsed.replyTo?.value[0]?.address ?? null,
                  files: parsed.attachments
                    .filter((file) => !file.related)
                    .map((file) => ({
                      name: file.filename ?? 'file',
                      contentType: file.contentType,
                      size: file.size,
                      bytes: file.content,
                      inline: file.contentDisposition === 'inline',
                    })),
                  at: Date.now(),
                  status: 'delivered',
                });
              }
              log.info(
                { to: session.envelope.rcptTo.map((r) => r.address) },
                'simulated mailbox received a reply',
              );
              callback(null, 'Delivered to the simulated mailbox');
            },
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    return {
      baseUrl: `smtp://127.0.0.1:${port}`,
      mailbox,
      address: addressOf(channel),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
};
