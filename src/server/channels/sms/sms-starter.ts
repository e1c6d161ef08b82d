// The SMS channel every new account starts with: in simulator mode, so a new user can text
// the helpdesk from the customer page (/simulator) before connecting a Twilio account.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../context.js';
import { createChannel } from '../../domain/channels.js';
import { SIMULATED_SERVICE_NUMBER } from '../../simulators/sms/sms-simulator.js';

export async function createSmsStarterChannel(deps: Deps, accountId: string): Promise<void> {
  if (!deps.config.simulators || !deps.channels.get('sms')) return;
  await createChannel(deps, accountId, {
    kind: 'sms',
    name: 'SMS (simulator)',
    simulator: true,
    config: {
      accountSid: `AC${randomBytes(16).toString('hex')}`,
      authToken: randomBytes(16).toString('hex'),
      from: SIMULATED_SERVICE_NUMBER,
    },
  });
  deps.log.info('created an SMS channel in simulator mode; open /simulator to play the customer');
}
