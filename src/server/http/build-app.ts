// The HTTP application: plugins, the auth hook, the error handler and every route. Built from
// the dependencies alone, so tests build it against any database and storage.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../context.js';
import { newId } from '../infra/ids.js';
import { MAX_FILES_PER_UPLOAD } from './routes/upload-routes.js';
import { authHook } from './auth.js';
import { errorHandler } from './error-handler.js';
import { auditRoutes } from './routes/audit-routes.js';
import { agentRoutes } from './routes/agent-routes.js';
import { attachmentRoutes } from './routes/attachment-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { contactRoutes } from './routes/contact-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { mediaRoutes } from './routes/media-routes.js';
import { redactionRoutes } from './routes/redaction-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { ticketRoutes } from './routes/ticket-routes.js';
import { uploadRoutes } from './routes/upload-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { wsRoutes } from './routes/ws-routes.js';
import type { App } from './types.js';

/** Every route the app registered, for the authorization test and the docs. */
export interface RouteEntry {
  method: string;
  url: string;
  auth: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface AppOptions {
  /** Where the built agent app lives (dist/web); served at / when present. */
  webRoot?: string;
  /** Extra routes (e.g. channel simulators) registered with the same auth and errors. */
  extraRoutes?: Array<(app: App, deps: Deps) => void>;
}

/** A hop count becomes "trust the nearest n proxies" (the typed form Fastify accepts). */
function proxyTrust(
  trust: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: proxyTrust(deps.config.trustProxy),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routeTable.push({ method, url: route.url, auth: route.config?.auth ?? 'public' });
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses come from typed presenters; re-validating every one with zod costs more than
  // the query on a busy thread, so they are written with JSON.stringify. The response
  // schemas still document the API (OpenAPI) and are checked by the tests.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  app.decorateRequest('principal', null);
  // While shutting down, answers in flight still complete, and tell the client to close its
  // connection, so keep-alive connections do not hold the shutdown open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
  });

  await app.register(cookie);
  // With Redis, every instance counts against the same limits.
  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis.client, nameSpace: `${deps.redis.prefix}rate-limit:` } : {}),
  });
  await app.register(multipart, {
    limits: { fileSize: deps.config.maxUploadBytes, files: MAX_FILES_PER_UPLOAD, fields: 20, parts: 60 },
    throwFileSizeLimit: false,
    // Larger part buffers let the parser run ahead of the disk instead of in lock-step with it.
    fileHwm: 1024 * 1024,
    highWaterMark: 1024 * 1024,
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Switchboard API',
        description: 'Tickets, messages and media across email, webchat, SMS/MMS, WhatsApp and Instagram.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', authHook(deps));

  sessionRoutes(app, deps);
  agentRoutes(app, deps);
  auditRoutes(app, deps);
  channelRoutes(app, deps);
  ticketRoutes(app, deps);
  contactRoutes(app, deps);
  uploadRoutes(app, deps);
  attachmentRoutes(app, deps);
  redactionRoutes(app, deps);
  mediaRoutes(app, deps);
  webhookRoutes(app, deps);
  const metrics = healthRoutes(app, deps);
  wsRoutes(app, deps, metrics);
  for (const register of options.extraRoutes ?? []) register(app, deps);

  const webRoot = options.webRoot;
  const hasWeb = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const apiLike = /^\/(api|webhooks|media)(\/|$)/.test(request.url);
    if (!apiLike && hasWeb && request.method === 'GET') {
      return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({
      error: {
        code: 'not_found',
        message: `Nothing is served at ${request.method} ${request.url.split('?')[0]}.`,
      },
    });
  });
  return app;
}
