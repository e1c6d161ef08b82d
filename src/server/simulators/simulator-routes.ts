// The simulator page (`/simulator`, built from src/simulator into dist/simulator) and the
// channel list it starts from. Each channel kind adds its own customer view to the page and
// its own routes under /api/simulator/<kind>/...; see docs/SIMULATOR.md.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import { channelKindSchema } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { principalOf } from '../http/auth.js';
import type { App } from '../http/types.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface SimulatorPageOptions {
  /** Where the built page lives (default dist/simulator of the project). */
  pageRoot?: string;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Simulator</title>
<p style="font:16px system-ui;margin:3rem">The simulator page is not built yet. Run <code>npm run build</code>, then reload.</p>`;

export function simulatorRoutes(options: SimulatorPageOptions = {}): (app: App, deps: Deps) => void {
  const pageRoot = options.pageRoot ?? join(projectRoot, 'dist', 'simulator');
  return (app, deps) => {
    const indexFile = join(pageRoot, 'index.html');
    app.get('/simulator', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      void reply
        .header('Cache-Control', 'no-cache')
        .header('X-Content-Type-Options', 'nosniff')
        .type('text/html; charset=utf-8');
      return existsSync(indexFile) ? readFile(indexFile, 'utf8') : NOT_BUILT;
    });
    if (existsSync(join(pageRoot, 'assets'))) {
      void app.register(fastifyStatic, {
        root: join(pageRoot, 'assets'),
        prefix: '/simulator/assets/',
        decorateReply: false,
        wildcard: true,
        index: false,
        cacheControl: true,
        maxAge: '1h',
      });
    }

    app.get(
      '/api/simulator/channels',
      {
        config: { auth: 'agent' },
        schema: {
          tags: ['simulator'],
          summary: 'Channels in simulator mode, for the customer page',
          response: {
            200: z.object({
              enabled: z.boolean(),
              channels: z.array(z.object({ id: z.string(), kind: channelKindSchema, name: z.string() })),
            }),
          },
        },
      },
      async (request) => {
        const rows = await deps.db
          .selectFrom('channels')
          .select(['id', 'kind', 'name'])
          .where('accountId', '=', principalOf(request).accountId)
          .where('simulator', '=', 1)
          .where('deletedAt', 'is', null)
          .orderBy('createdAt')
          .execute();
        return { enabled: deps.simulators.enabled, channels: rows };
      },
    );
  };
}
