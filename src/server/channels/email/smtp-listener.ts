// Our own SMTP listener, for an MX record or a relay that forwards to us: it announces the
// size limit (SIZE), refuses larger mail (552) after keeping a "too large" entry with its
// headers, accepts only the channel's address and its plus-addresses, and answers 250 only
// once the message is stored, so a sender retries anything we could not keep (451).
import { once } from 'node:events';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Deps } from '../../context.js';
import type { ChannelRecord } from '../adapter.js';
import type { EmailConfig } from './email-config.js';
import { emailLimits, maxMessageBytes } from './email-limits.js';
import { ingestRawEmail } from './ingest-email.js';

export interface RunningListener {
  port: number;
  stop(): Promise<void>;
}

const smtpError = (code: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode: code });

/** True for `local@domain` and `local+anything@domain` of the channel's address. */
export function isOurAddress(ourAddress: string, candidate: string): boolean {
  const at = ourAddress.lastIndexOf('@');
  const local = ourAddress.slice(0, at).toLowerCase();
  const domain = ourAddress.slice(at + 1).toLowerCase();
  const value = candidate.trim().toLowerCase();
  const candidateAt = value.lastIndexOf('@');
  if (candidateAt === -1 || value.slice(candidateAt + 1) !== domain) return false;
  const candidateLocal = value.slice(0, candidateAt);
  return candidateLocal === local || candidateLocal.startsWith(`${local}+`);
}

export async function startSmtpListener(
  deps: Deps,
  channel: ChannelRecord<EmailConfig>,
  options: { port: number; host: string },
): Promise<RunningListener> {
  const cap = maxMessageBytes(deps.config.maxInboundMediaBytes);
  const log = deps.log.child({ channelId: channel.id, ingress: 'smtp' });
  const server = new SMTPServer({
    name: channel.config.address.slice(channel.config.address.lastIndexOf('@') + 1),
    banner: 'Switchboard',
    size: cap,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 50,
    socketTimeout: 120_000,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= emailLimits.smtpMaxRecipients)
        return callback(smtpError(452, 'Too many recipients'));
      if (!isOurAddress(channel.config.address, address.address))
        return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const declared = Number(
        session.envelope.mailFrom && typeof session.envelope.mailFrom === 'object'
          ? ((session.envelope.mailFrom.args as Record<string, string> | false) || {}).SIZE
          : NaN,
      );
      ingestRawEmail(deps, channel, {
        stream,
        via: 'smtp',
        envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        ...(Number.isFinite(declared) ? { declaredSize: declared } : {}),
      })
        .then(async (outcome) => {
          if (!stream.readableEnded) await once(stream, 'end');
          if (outcome.tooLarge || stream.sizeExceeded) {
            callback(smtpError(552, `5.3.4 Message exceeds the ${cap} byte limit`));
            return;
          }
          callback(null, `Stored as ${outcome.result?.messageId ?? 'a duplicate'}`);
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'could not store a message received over SMTP');
          stream.resume();
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        });
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ port }, 'SMTP listener ready');
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
