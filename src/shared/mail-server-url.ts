// The settings form asks for a mail server as one URL (smtps://user:password@host:465,
// imaps://user:password@host/INBOX); the e-mail channel's configuration stores its parts.

export interface MailServer {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  /** IMAP only: the mailbox to read (default INBOX). */
  mailbox?: string;
}

const schemes = {
  smtp: { plain: 'smtp:', tls: 'smtps:', plainPort: 587, tlsPort: 465 },
  imap: { plain: 'imap:', tls: 'imaps:', plainPort: 143, tlsPort: 993 },
} as const;

/** The server a URL names, or null when it is not a URL of that protocol. */
export function mailServerFromUrl(text: string, protocol: 'smtp' | 'imap'): MailServer | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const scheme = schemes[protocol];
  if (url.protocol !== scheme.plain && url.protocol !== scheme.tls) return null;
  if (!url.hostname) return null;
  const secure = url.protocol === scheme.tls;
  const server: MailServer = {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? scheme.tlsPort : scheme.plainPort,
    secure,
  };
  if (url.username) server.user = decodeURIComponent(url.username);
  if (url.password) server.pass = decodeURIComponent(url.password);
  if (protocol === 'imap') {
    const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
    server.mailbox = mailbox || 'INBOX';
  }
  return server;
}
