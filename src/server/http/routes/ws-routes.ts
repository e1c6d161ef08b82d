import type {} from '@fastify/websocket';
import { z } from 'zod';
import type { Deps } from '../../context.js';
import { streamEvents } from '../../realtime/event-stream.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';
import type { Metrics } from './health-routes.js';

/** What a client may send: a request to replay events after a position. */
const clientMessage = z.object({ type: z.literal('replay'), since: z.number().int().min(0) });

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export function wsRoutes(app: App, deps: Deps, metrics: Metrics): void {
  const origin = new URL(deps.config.publicUrl).origin;
  app.get(
    '/api/ws',
    {
      websocket: true,
      config: { auth: 'agent' },
      schema: {
        tags: ['realtime'],
        summary: "WebSocket of the account's events; pass ?since=<last event id> to resume",
        querystring: z.strictObject({ since: z.coerce.number().int().min(0).optional() }),
      },
      preValidation: async (request, reply) => {
        // A page on another site must not ride an agent's cookie into this socket.
        const from = request.headers.origin;
        if (
          principalOf(request).via === 'session' &&
          from &&
          from !== origin &&
          from !== `http://${request.headers.host}` &&
          from !== `https://${request.headers.host}`
        ) {
          await reply.status(403).send({
            error: { code: 'origin_not_allowed', message: `Connections from ${from} are not allowed.` },
          });
        }
      },
    },
    (socket, request) => {
      const { accountId } = principalOf(request);
      const { since } = request.query as { since?: number };
      metrics.sockets.inc();
      socket.on('close', () => metrics.sockets.dec());
      const stream = streamEvents(deps, socket, { accountId, since: since ?? null });
      stream.catch((error: unknown) => {
        request.log.error({ err: error }, 'event stream failed');
        socket.close(1011, 'event stream failed');
      });
      socket.on('message', (data) => {
        const text = data.toString();
        if (text === 'ping') {
          socket.send('{"type":"pong"}');
          return;
        }
        const replay = clientMessage.safeParse(safeJson(text));
        if (replay.success) void stream.then((events) => events.replay(replay.data.since));
      });
    },
  );
}
