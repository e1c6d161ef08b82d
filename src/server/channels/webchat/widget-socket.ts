// The visitor's WebSocket: /api/widget/:channelId/ws?since=<last event id>. Browsers cannot
// set headers on a WebSocket, and a token in the URL ends up in logs, so the first frame
// authenticates: {"type":"auth","token":"..."}. Then the visitor's events stream, replayed
// from `since` after a reconnect.
import type {} from '@fastify/websocket';
import { z } from 'zod';
import type { Deps } from '../../context.js';
import type { App } from '../../http/types.js';
import { streamEvents } from '../../realtime/event-stream.js';
import { visitorEventView } from './visitor-events.js';
import { resolveVisitor } from './visitors.js';
import { rateLimit, widgetContext, type RateLimits } from './widget-guard.js';

export const AUTH_TIMEOUT_MS = 10_000;
/** Close codes the widget acts on. */
export const CLOSE_UNAUTHENTICATED = 4401;

const authFrame = z.object({ type: z.literal('auth'), token: z.string().max(200) });

function parseAuth(data: string): string | null {
  try {
    const parsed = authFrame.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data.token : null;
  } catch {
    return null;
  }
}

export function widgetSocketRoute(scope: App, deps: Deps, limits: RateLimits): void {
  scope.get(
    '/ws',
    {
      websocket: true,
      config: { auth: 'public' },
      preHandler: [rateLimit(scope, 'sockets', limits.socketsPerIp, 'ip')],
      schema: {
        tags: ['widget'],
        summary:
          'WebSocket of the visitor\'s own conversation; first frame {"type":"auth","token"}; ?since=<last event id> resumes',
        querystring: z.strictObject({ since: z.coerce.number().int().min(0).optional() }),
      },
    },
    (socket, request) => {
      const { channel } = widgetContext(request);
      const { since } = request.query as { since?: number };
      let authenticating = false;
      const timer = setTimeout(() => {
        if (!authenticating) socket.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
      }, AUTH_TIMEOUT_MS);
      socket.on('close', () => clearTimeout(timer));
      socket.on('message', (data) => {
        const text = data.toString();
        if (text === 'ping') {
          socket.send('{"type":"pong"}');
          return;
        }
        if (authenticating) return;
        authenticating = true;
        clearTimeout(timer);
        const token = parseAuth(text);
        const start = async (): Promise<void> => {
          const visitor = token ? await resolveVisitor(deps, channel.id, token) : null;
          if (!visitor) {
            socket.close(CLOSE_UNAUTHENTICATED, 'the visitor token is not valid for this chat');
            return;
          }
          await streamEvents(deps, socket, {
            accountId: channel.accountId,
            since: since ?? null,
            view: visitorEventView(deps, visitor),
          });
        };
        start().catch((error: unknown) => {
          request.log.error({ err: error }, 'visitor event stream failed');
          socket.close(1011, 'event stream failed');
        });
      });
    },
  );
}
