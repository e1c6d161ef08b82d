// The WhatsApp channel every new account starts with: in simulator mode, so a new user can
// write to the helpdesk from the customer page (/simulator) before connecting a Meta app.
import { randomBytes, randomInt } from 'node:crypto';
import type { Deps } from '../../context.js';
import { createChannel } from '../../domain/channels.js';

export async function createWhatsAppStarterChannel(deps: Deps, accountId: string): Promise<void> {
  // Only where this build has the channel and its simulator may run.
  if (!deps.config.simulators || !deps.channels.get('whatsapp')) return;
  await createChannel(deps, accountId, {
    kind: 'whatsapp',
    name: 'WhatsApp (simulator)',
    simulator: true,
    config: {
      phoneNumberId: String(100_000_000_000_000 + randomInt(0, 2 ** 40)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    },
  });
  deps.log.info('created a WhatsApp channel in simulator mode; open /simulator to play the customer');
}
