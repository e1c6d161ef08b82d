// The e-mail channel every new account starts with: in simulator mode, so a new user can mail
// the helpdesk from the customer page (/simulator) before connecting a mailbox.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../context.js';
import { createChannel } from '../../domain/channels.js';

export async function createEmailStarterChannel(deps: Deps, accountId: string): Promise<void> {
  if (!deps.config.simulators || !deps.channels.get('email')) return;
  await createChannel(deps, accountId, {
    kind: 'email',
    name: 'E-mail (simulator)',
    simulator: true,
    config: {
      address: 'support@helpdesk.example',
      // Replaced at run time by the simulator's loopback SMTP peer.
      smtp: { host: '127.0.0.1', port: 25, secure: false },
      inbound: { webhookSecret: randomBytes(24).toString('base64url') },
    },
  });
  deps.log.info('created an e-mail channel in simulator mode; open /simulator to play the customer');
}
