// Serves the built widget (/widget.js) to any site, and the demo shop (/demo) that embeds it
// on the first webchat channel, so a new install can be tried as a customer at once.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Deps } from '../../context.js';
import type { App } from '../../http/types.js';
import { renderDemoPage } from './demo-page.js';

interface Cached {
  mtimeMs: number;
  body: Buffer;
  etag: string;
}

const MISSING =
  "console.warn('Switchboard: the chat widget is not built yet; run `npm run build` on the server.');\n";

export function widgetScriptRoute(app: App, file: string): void {
  let cached: Cached | null = null;
  const load = async (): Promise<Cached | null> => {
    const info = await stat(file).catch(() => null);
    if (!info) return null;
    if (cached?.mtimeMs !== info.mtimeMs) {
      const body = await readFile(file);
      cached = {
        mtimeMs: info.mtimeMs,
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      };
    }
    return cached;
  };
  app.route({
    method: ['GET', 'HEAD'],
    url: '/widget.js',
    config: { auth: 'public' },
    schema: { hide: true },
    handler: async (request, reply) => {
      void reply
        .type('text/javascript; charset=utf-8')
        .header('Cross-Origin-Resource-Policy', 'cross-origin')
        .header('Access-Control-Allow-Origin', '*')
        .header('X-Content-Type-Options', 'nosniff');
      const script = await load();
      if (!script) return reply.status(503).header('Cache-Control', 'no-store').send(MISSING);
      void reply.header('ETag', script.etag).header('Cache-Control', 'public, max-age=300');
      if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
      return reply.send(script.body);
    },
  });
}

/** The oldest webchat channel of the first account: the one created on first start. */
export async function demoChannelId(deps: Pick<Deps, 'db'>): Promise<string | null> {
  const row = await deps.db
    .selectFrom('channels')
    .innerJoin('accounts', 'accounts.id', 'channels.accountId')
    .select('channels.id')
    .where('channels.kind', '=', 'webchat')
    .where('channels.deletedAt', 'is', null)
    .orderBy('accounts.createdAt')
    .orderBy('channels.createdAt')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export function demoRoute(app: App, deps: Deps): void {
  app.get('/demo', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const wanted =
      typeof query.channel === 'string' && /^[\w-]{1,64}$/.test(query.channel) ? query.channel : null;
    const lang =
      typeof query.lang === 'string' && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$/.test(query.lang)
        ? query.lang
        : 'en';
    const channelId = wanted ?? (await demoChannelId(deps));
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(renderDemoPage({ channelId, lang, publicUrl: deps.config.publicUrl }));
  });
}
