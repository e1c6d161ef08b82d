// A loopback SMTP server that keeps what it is sent, or refuses it the way a relay would.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  raw: Buffer;
  from: string;
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  /** The next sends are answered with this SMTP reply (consumed one per message). */
  refusals: Array<{ code: number; message: string }>;
  /** Resolves when `count` messages have arrived. */
  waitFor(count: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(options: { user?: string; pass?: string } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const refusals: SmtpSink['refusals'] = [];
  const waiting: Array<{ count: number; resolve: (m: SinkMessage[]) => void }> = [];
  const server = new SMTPServer({
    authOptional: !options.user,
    disabledCommands: ['STARTTLS', ...(options.user ? [] : ['AUTH'])],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass)
        return callback(null, { user: auth.username });
      return callback(
        Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { keepCidLinks: true }).then(
          (parsed) => {
            messages.push({
              raw,
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              parsed,
            });
            for (const waiter of waiting.filter((w) => messages.length >= w.count)) {
              waiting.splice(waiting.indexOf(waiter), 1);
              waiter.resolve(messages.slice());
            }
            callback(null, 'OK queued');
          },
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    refusals,
    waitFor: (count) =>
      messages.length >= count
        ? Promise.resolve(messages.slice())
        : new Promise((resolve) => waiting.push({ count, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
