// What every widget request passes first: the channel must be a live webchat channel, the
// page's origin one the channel allows (this holds for the WebSocket too), the visitor token
// valid for this channel, and the visitor and their IP address within their rates.
import type {} from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VISITOR_TOKEN_HEADER } from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { AppError, notFound } from '../../errors.js';
import type { App } from '../../http/types.js';
import type { ChannelRecord } from '../adapter.js';
import { originAllowed, readWebchatConfig, type WebchatConfig } from './webchat-config.js';
import { resolveVisitor, type VisitorRow } from './visitors.js';

export interface WidgetContext {
  channel: ChannelRecord;
  config: WebchatConfig;
  visitor: VisitorRow | null;
}

const contexts = new WeakMap<FastifyRequest, WidgetContext>();

export function widgetContext(request: FastifyRequest): WidgetContext {
  const context = contexts.get(request);
  if (!context) throw new AppError('internal', 'The widget request was not checked.');
  return context;
}

export function requireVisitor(request: FastifyRequest): VisitorRow {
  const { visitor } = widgetContext(request);
  if (!visitor)
    throw new AppError('unauthenticated', 'Start a conversation first: the visitor token is missing.');
  return visitor;
}

const channelIdOf = (request: FastifyRequest): string | null => {
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.channelId;
  return typeof id === 'string' && id.length <= 64 ? id : null;
};

export const ALLOWED_HEADERS = ['content-type', VISITOR_TOKEN_HEADER];

/** onRequest: resolves the channel and refuses origins it does not allow; answers CORS headers. */
export function channelGuard(deps: Deps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const channelId = channelIdOf(request);
    const row = channelId
      ? await deps.db
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', channelId)
          .where('kind', '=', 'webchat')
          .where('deletedAt', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (!row) throw notFound('The chat');
    const channel = toChannelRecord(row);
    const config = readWebchatConfig(channel.config);
    const origin = request.headers.origin;
    if (!originAllowed(config, origin, { publicUrl: deps.config.publicUrl, host: request.headers.host })) {
      throw new AppError('origin_not_allowed', `This chat is not enabled for ${origin ?? 'this site'}.`);
    }
    if (origin) {
      void reply
        .header('Access-Control-Allow-Origin', origin)
        .header('Access-Control-Expose-Headers', 'retry-after, x-request-id')
        .header('Vary', 'Origin');
    }
    contexts.set(request, { channel, config, visitor: null });
  };
}

/** preHandler: identifies the visitor by the token header, when one is sent. */
export function visitorGuard(deps: Deps, options: { required: boolean }) {
  return async (request: FastifyRequest): Promise<void> => {
    const context = widgetContext(request);
    const header = request.headers[VISITOR_TOKEN_HEADER];
    const token = typeof header === 'string' ? header.trim() : '';
    if (token) {
      context.visitor = await resolveVisitor(deps, context.channel.id, token);
      if (!context.visitor)
        throw new AppError('unauthenticated', 'This visitor token is not valid for this chat; start again.');
    } else if (options.required) {
      throw new AppError('unauthenticated', 'Start a conversation first: the visitor token is missing.');
    }
  };
}

export interface RateLimits {
  /** Per window of one minute. */
  visitorsPerIp: number;
  messagesPerVisitor: number;
  messagesPerIp: number;
  uploadsPerVisitor: number;
  uploadsPerIp: number;
  readsPerVisitor: number;
  socketsPerIp: number;
}

export const defaultRateLimits: RateLimits = {
  visitorsPerIp: 20,
  messagesPerVisitor: 30,
  messagesPerIp: 120,
  uploadsPerVisitor: 20,
  uploadsPerIp: 60,
  readsPerVisitor: 240,
  socketsPerIp: 60,
};

/**
 * A limiter for one kind of request and one key (the IP address, or the visitor). Several may
 * guard one route; each counts on its own.
 */
export function rateLimit(app: App, name: string, max: number, by: 'ip' | 'visitor') {
  const check = app.createRateLimit({
    max,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      `${name}:${by}:${by === 'ip' ? request.ip : (contexts.get(request)?.visitor?.id ?? request.ip)}`,
  });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.header('Retry-After', String(result.ttlInSeconds));
    throw new AppError(
      'rate_limited',
      by === 'ip'
        ? 'Too many requests from this network; wait a minute and try again.'
        : 'You are sending too fast; wait a minute and try again.',
      { retryAfterSeconds: result.ttlInSeconds },
    );
  };
}
