// The visitor API under /api/widget/:channelId: public configuration, visitors, messages,
// uploads, attachments (fresh signed links) and read receipts. Authenticated by the visitor
// token header, never a cookie: the widget runs on other sites.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  messagePageSchema,
  newVisitorResponseSchema,
  visitorAttachmentSchema,
  visitorMessageSchema,
  visitorSchema,
  widgetConfigSchema,
} from '../../../shared/webchat-api.js';
import type { Deps } from '../../context.js';
import type { App } from '../../http/types.js';
import { getVisitorAttachment, listVisitorMessages } from './visitor-conversation.js';
import { markRepliesRead, MAX_VISITOR_TEXT, postVisitorMessage } from './visitor-messages.js';
import { uploadVisitorFiles } from './visitor-uploads.js';
import { createVisitor, presentVisitor, updateVisitor } from './visitors.js';
import { presentWidgetConfig } from './webchat-config.js';
import {
  ALLOWED_HEADERS,
  channelGuard,
  rateLimit,
  requireVisitor,
  visitorGuard,
  widgetContext,
  type RateLimits,
} from './widget-guard.js';
import { widgetSocketRoute } from './widget-socket.js';

const channelParams = z.object({ channelId: z.string().max(64) });
const idParams = channelParams.extend({ id: z.string().max(64) });
const details = {
  name: z.string().trim().max(120).optional(),
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  locale: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
    .optional(),
};

export function widgetApiRoutes(app: App, deps: Deps, limits: RateLimits): void {
  void app.register(
    async (plugin) => {
      const scope: App = plugin.withTypeProvider<ZodTypeProvider>();
      scope.addHook('onRequest', channelGuard(deps));
      const anyVisitor = visitorGuard(deps, { required: false });
      const visitor = visitorGuard(deps, { required: true });
      const tags = ['widget'];

      scope.options('/*', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) =>
        reply
          .header('Access-Control-Allow-Methods', 'GET, POST, PATCH, OPTIONS')
          .header('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '))
          .header('Access-Control-Max-Age', '600')
          .status(204)
          .send(),
      );

      scope.get(
        '/config',
        {
          config: { auth: 'public' },
          schema: {
            tags,
            summary: "The chat's title, greeting, colour, language and upload limits",
            params: channelParams,
            response: { 200: widgetConfigSchema },
          },
        },
        async (request, reply) => {
          const { channel, config } = widgetContext(request);
          void reply.header('Cache-Control', 'public, max-age=60');
          return presentWidgetConfig(channel.id, config, deps.config);
        },
      );

      scope.post(
        '/visitors',
        {
          config: { auth: 'public' },
          preHandler: [rateLimit(scope, 'visitors', limits.visitorsPerIp, 'ip')],
          schema: {
            tags,
            summary: 'Start as a new anonymous visitor; keep the token (it is shown once)',
            params: channelParams,
            body: z.strictObject(details).optional(),
            response: { 201: newVisitorResponseSchema },
          },
        },
        async (request, reply) => {
          const { channel } = widgetContext(request);
          const created = await createVisitor(deps, channel, request.body ?? {});
          return reply.status(201).send({ visitor: presentVisitor(created.visitor), token: created.token });
        },
      );

      scope.get(
        '/visitor',
        {
          config: { auth: 'public' },
          preHandler: [visitor],
          schema: { tags, params: channelParams, response: { 200: visitorSchema } },
        },
        async (request) => presentVisitor(requireVisitor(request)),
      );

      scope.patch(
        '/visitor',
        {
          config: { auth: 'public' },
          preHandler: [visitor, rateLimit(scope, 'profile', limits.messagesPerVisitor, 'visitor')],
          schema: {
            tags,
            summary: 'Leave a name and an e-mail address (both optional)',
            params: channelParams,
            body: z.strictObject(details),
            response: { 200: visitorSchema },
          },
        },
        async (request) => presentVisitor(await updateVisitor(deps, requireVisitor(request), request.body)),
      );

      scope.get(
        '/messages',
        {
          config: { auth: 'public' },
          preHandler: [anyVisitor, rateLimit(scope, 'reads', limits.readsPerVisitor, 'visitor')],
          schema: {
            tags,
            summary: "The visitor's conversation, oldest first, with the event id to resume the socket from",
            params: channelParams,
            querystring: z.strictObject({
              before: z.string().max(500).optional(),
              limit: z.coerce.number().int().min(1).max(100).optional(),
            }),
            response: { 200: messagePageSchema },
          },
        },
        async (request) => {
          const current = widgetContext(request).visitor;
          if (!current) return { messages: [], nextCursor: null, lastEventId: 0 };
          return listVisitorMessages(deps, current, request.query);
        },
      );

      scope.post(
        '/messages',
        {
          config: { auth: 'public' },
          preHandler: [
            visitor,
            rateLimit(scope, 'messages', limits.messagesPerIp, 'ip'),
            rateLimit(scope, 'messages', limits.messagesPerVisitor, 'visitor'),
          ],
          schema: {
            tags,
            summary: 'Send a message with text and the ids of files uploaded before',
            params: channelParams,
            body: z.strictObject({
              clientId: z
                .string()
                .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"'),
              text: z
                .string()
                .max(MAX_VISITOR_TEXT * 2)
                .optional(),
              attachmentIds: z.array(z.string().max(64)).max(20).optional(),
            }),
            response: { 200: visitorMessageSchema, 201: visitorMessageSchema },
          },
        },
        async (request, reply) => {
          const { channel } = widgetContext(request);
          const result = await postVisitorMessage(deps, channel, requireVisitor(request), request.body);
          return reply.status(result.duplicate ? 200 : 201).send(result.message);
        },
      );

      scope.post(
        '/uploads',
        {
          config: { auth: 'public' },
          preHandler: [
            visitor,
            rateLimit(scope, 'uploads', limits.uploadsPerIp, 'ip'),
            rateLimit(scope, 'uploads', limits.uploadsPerVisitor, 'visitor'),
          ],
          schema: {
            tags,
            summary: 'Upload files (multipart "file" parts) to send with the next message',
            consumes: ['multipart/form-data'],
            params: channelParams,
            response: { 201: z.object({ attachments: z.array(visitorAttachmentSchema) }) },
          },
        },
        async (request, reply) => {
          const attachments = await uploadVisitorFiles(deps, request, requireVisitor(request));
          return reply.status(201).send({ attachments });
        },
      );

      scope.get(
        '/attachments/:id',
        {
          config: { auth: 'public' },
          preHandler: [visitor, rateLimit(scope, 'reads', limits.readsPerVisitor, 'visitor')],
          schema: {
            tags,
            summary: "One of the conversation's files, with freshly signed links",
            params: idParams,
            response: { 200: visitorAttachmentSchema },
          },
        },
        async (request) => getVisitorAttachment(deps, requireVisitor(request), request.params.id),
      );

      scope.post(
        '/read',
        {
          config: { auth: 'public' },
          preHandler: [visitor, rateLimit(scope, 'receipts', limits.readsPerVisitor, 'visitor')],
          schema: {
            tags,
            summary: 'The visitor has seen the replies up to this message',
            params: channelParams,
            body: z.strictObject({ messageId: z.string().max(64) }),
            response: { 200: z.object({ marked: z.number() }) },
          },
        },
        async (request) => {
          const { channel } = widgetContext(request);
          const current = requireVisitor(request);
          return { marked: await markRepliesRead(deps, channel, current, request.body.messageId) };
        },
      );

      widgetSocketRoute(scope, deps, limits);
    },
    { prefix: '/api/widget/:channelId' },
  );
}
