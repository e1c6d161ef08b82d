// The webchat channel as the server registers it: the adapter, the visitor API and socket,
// the widget script, the demo shop, and the channel created on first start.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StarterChannels } from '../../bootstrap.js';
import type { Deps } from '../../context.js';
import { createChannel } from '../../domain/channels.js';
import type { App } from '../../http/types.js';
import type { WebchatConfig } from './webchat-config.js';
import { defaultRateLimits, type RateLimits } from './widget-guard.js';
import { widgetApiRoutes } from './widget-routes.js';
import { demoRoute, widgetScriptRoute } from './widget-static.js';

export { webchatAdapter } from './webchat-adapter.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Where the build puts the widget (dist/widget/widget.js), from src/ and dist/ alike. */
export const DEFAULT_WIDGET_FILE = join(root, 'dist', 'widget', 'widget.js');

export interface WebchatRouteOptions {
  /** The built widget script to serve at /widget.js. */
  widgetFile?: string;
  rateLimits?: Partial<RateLimits>;
}

export function webchatRoutes(options: WebchatRouteOptions = {}): (app: App, deps: Deps) => void {
  return (app, deps) => {
    widgetApiRoutes(app, deps, { ...defaultRateLimits, ...options.rateLimits });
    widgetScriptRoute(app, options.widgetFile ?? DEFAULT_WIDGET_FILE);
    if (deps.config.simulators) demoRoute(app, deps);
  };
}

export function starterWebchatConfig(publicUrl: string): WebchatConfig {
  return {
    allowedOrigins: [new URL(publicUrl).origin],
    title: { en: 'Chat with us', 'pt-BR': 'Fale com a gente' },
    greeting: {
      en: 'Hi there! Ask us anything. You can send photos, screenshots and files too.',
      'pt-BR': 'Olá! Pergunte o que quiser. Você também pode enviar fotos, prints e arquivos.',
    },
    color: '#2563eb',
    locale: 'en',
    askForContact: true,
  };
}

/** The "Website chat" channel every new account starts with; /demo embeds it. */
export const starterWebchat: StarterChannels = async (deps, accountId) => {
  await createChannel(deps, accountId, {
    kind: 'webchat',
    name: 'Website chat',
    config: { ...starterWebchatConfig(deps.config.publicUrl) },
  });
};
