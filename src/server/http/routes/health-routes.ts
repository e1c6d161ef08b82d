import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Deps } from '../../context.js';
import type { App } from '../types.js';

export interface Metrics {
  registry: Registry;
  sockets: Gauge;
}

export function healthRoutes(app: App, deps: Deps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'switchboard_http_server_errors_total',
    help: 'Responses with a 5xx status',
    registers: [registry],
  });
  const sockets = new Gauge({
    name: 'switchboard_websockets',
    help: 'Open WebSocket connections',
    registers: [registry],
  });
  new Gauge({
    name: 'switchboard_jobs',
    help: 'Jobs by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await deps.queue.counts().catch(() => ({}) as Record<string, number>);
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) errors.inc();
  });

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  // Public, for load balancers: it says which engine is down, and the log says why (an error's
  // text can name hosts, paths or buckets, which is not for anyone who asks).
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const check = async (engine: string, probe: () => Promise<unknown>) => {
      try {
        await probe();
        return { ok: true };
      } catch (error) {
        request.log.warn({ err: error, engine }, `readiness: the ${engine} engine is not available`);
        return { ok: false };
      }
    };
    const engines = {
      database: {
        kind: deps.dialect,
        ...(await check('database', () => deps.db.selectFrom('accounts').select('id').limit(1).execute())),
      },
      blobs: { kind: deps.blobs.kind, ...(await check('blobs', () => deps.blobs.ping())) },
      jobs: { kind: deps.queue.kind, ...(await check('jobs', () => deps.queue.ping())) },
      realtime: { kind: deps.pubsub.kind, ...(await check('realtime', () => deps.pubsub.ping())) },
    };
    const ready = Object.values(engines).every((engine) => engine.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', engines });
  });

  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  return { registry, sockets };
}
