// The e-mail channel's form fields as the server's configuration: the mail-server URLs become
// the `smtp` and `imap` objects the channel stores.
import { mailServerFromUrl } from '../../shared/mail-server-url.js';
import type { MessageKey } from '../i18n/catalog-types.js';

/** The label of the first mail-server URL that cannot be read, if any. */
export function invalidMailUrl(values: Record<string, string>): MessageKey | null {
  const smtp = values.smtpUrl?.trim();
  if (smtp && !mailServerFromUrl(smtp, 'smtp')) return 'channelField.smtpUrl';
  const imap = values.imapUrl?.trim();
  if (imap && !mailServerFromUrl(imap, 'imap')) return 'channelField.imapUrl';
  return null;
}

export function emailConfigFrom(config: Record<string, unknown>): Record<string, unknown> {
  const { smtpUrl, imapUrl, ...rest } = config;
  const smtp = typeof smtpUrl === 'string' ? mailServerFromUrl(smtpUrl, 'smtp') : null;
  const imap = typeof imapUrl === 'string' ? mailServerFromUrl(imapUrl, 'imap') : null;
  return { ...rest, ...(smtp ? { smtp } : {}), ...(imap ? { imap } : {}) };
}
