// Every channel adapter of this build, and the channels created with a new account.
import type { StarterChannels } from '../bootstrap.js';
import type { Deps } from '../context.js';
import type { ChannelAdapter } from './adapter.js';
import type { App } from '../http/types.js';
import { simulatorRoutes } from '../simulators/simulator-routes.js';
import { smsSimulatorRoutes } from '../simulators/sms/sms-simulator-routes.js';
import { createSmsAdapter } from './sms/sms-adapter.js';
import { createSmsStarterChannel } from './sms/sms-starter.js';
import { starterWebchat, webchatAdapter, webchatRoutes } from './webchat/webchat-channel.js';
import { instagramSimulatorRoutes } from '../simulators/instagram/instagram-simulator-routes.js';
import { whatsappSimulatorRoutes } from '../simulators/whatsapp/whatsapp-simulator-routes.js';
import { instagramAdapter } from './instagram/instagram-adapter.js';
import { createInstagramStarterChannel } from './instagram/instagram-starter.js';
import { whatsappAdapter } from './whatsapp/whatsapp-adapter.js';
import { createWhatsAppStarterChannel } from './whatsapp/whatsapp-starter.js';

import { emailAdapter } from './email/email-adapter.js';
import { emailRoutes } from './email/email-routes.js';
import { createEmailStarterChannel } from './email/email-starter.js';
import { startEmailWorkers } from './email/email-workers.js';
import { emailSimulatorRoutes } from '../simulators/email/email-simulator-routes.js';

export function allAdapters(): ChannelAdapter[] {
  return [webchatAdapter(), createSmsAdapter(), whatsappAdapter, instagramAdapter, emailAdapter];
}

export const starterChannels: StarterChannels[] = [
  starterWebchat,
  createSmsStarterChannel,
  createWhatsAppStarterChannel,
  createInstagramStarterChannel,
  createEmailStarterChannel,
];

/** Routes channels add beside the public API (simulators, the widget's visitor API). */
export const channelRoutes: Array<(app: App, deps: Deps) => void> = [
  webchatRoutes(),
  simulatorRoutes(),
  smsSimulatorRoutes,
  whatsappSimulatorRoutes,
  instagramSimulatorRoutes,
  emailRoutes,
  emailSimulatorRoutes,
];

/**
 * Long-running ingress some channels need beside webhooks (e-mail's IMAP pollers and SMTP
 * listeners). `serve` starts them after it listens and stops them first on shutdown.
 */
export const channelWorkers: Array<(deps: Deps) => Promise<{ stop(): Promise<void> }>> = [
  (deps) => startEmailWorkers(deps),
];
