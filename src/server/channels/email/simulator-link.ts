// Where a channel's mail goes out: its SMTP relay, or, for a channel in simulator mode, the
// e-mail simulator's loopback SMTP peer that the app started.
import { ProviderError, type ChannelRecord } from '../adapter.js';
import type { EmailConfig } from './email-config.js';
import type { SmtpTarget } from './send-email.js';

let simulatorSmtp: SmtpTarget | null = null;

/** Called by the e-mail simulator when its SMTP peer listens (null when it stops). */
export function setSimulatorSmtp(target: SmtpTarget | null): void {
  simulatorSmtp = target;
}

export function smtpTargetOf(channel: ChannelRecord<EmailConfig>): SmtpTarget {
  if (!channel.simulator) return channel.config.smtp;
  if (!simulatorSmtp)
    throw new ProviderError(
      'simulator_offline',
      'The e-mail simulator is not running (SIMULATORS=0?).',
      true,
    );
  return simulatorSmtp;
}
