import { z } from 'zod';
import { messageSchema, ticketSchema, ticketStatusSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import { listThread } from '../../domain/message-views.js';
import { createReply, retryReply } from '../../domain/outbound.js';
import { getTicket, listTickets, updateTicket } from '../../domain/tickets.js';
import { LAST_EVENT_HEADER, lastEventId } from '../../realtime/last-event-id.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

const idParams = z.object({ id: z.string().max(64) });

export function ticketRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/tickets',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        summary: 'The inbox, most recent activity first',
        querystring: z.strictObject({
          status: ticketStatusSchema.optional(),
          channelId: z.string().max(64).optional(),
          assigneeId: z.string().max(64).optional().describe('An agent id, or "none" for unassigned tickets'),
          contactId: z.string().max(64).optional(),
          q: z.string().max(200).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
        response: { 200: z.object({ tickets: z.array(ticketSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      void reply.header(LAST_EVENT_HEADER, String(await lastEventId(deps.db, accountId)));
      return listTickets(deps.db, accountId, request.query);
    },
  );

  app.get(
    '/api/tickets/:id',
    {
      config: { auth: 'agent' },
      schema: { tags: ['tickets'], params: idParams, response: { 200: ticketSchema } },
    },
    async (request) => getTicket(deps.db, principalOf(request).accountId, request.params.id),
  );

  app.patch(
    '/api/tickets/:id',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['tickets'],
        params: idParams,
        body: z.strictObject({
          status: ticketStatusSchema.optional(),
          assigneeId: z.string().max(64).nullable().optional(),
        }),
        response: { 200: ticketSchema },
      },
    },
    async (request) => updateTicket(deps, principalOf(request).accountId, request.params.id, request.body),
  );

  app.get(
    '/api/tickets/:id/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['messages'],
        summary: "A ticket's messages, newest first",
        params: idParams,
        querystring: z.strictObject({
          before: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ messages: z.array(messageSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      void reply.header(LAST_EVENT_HEADER, String(await lastEventId(deps.db, accountId)));
      await getTicket(deps.db, accountId, request.params.id);
      return listThread(deps.db, accountId, request.params.id, request.query);
    },
  );

  app.post(
    '/api/tickets/:id/messages',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['messages'],
        summary: 'Reply to the customer, or add an internal note',
        params: idParams,
        body: z.strictObject({
          text: z.string().max(20_000).optional(),
          attachmentIds: z.array(z.string().max(64)).max(20).optional(),
          note: z.boolean().optional(),
          /** Per-message options for the channel: `humanAgentTag` sends an Instagram reply tagged HUMAN_AGENT. */
          meta: z.strictObject({ humanAgentTag: z.boolean().optional() }).optional(),
        }),
        response: { 201: messageSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const message = await createReply(
        deps,
        { accountId: principal.accountId, agentId: principal.agentId },
        request.params.id,
        request.body,
      );
      return reply.status(201).send(message);
    },
  );

  app.post(
    '/api/messages/:id/retry',
    {
      config: { auth: 'agent' },
      schema: {
        tags: ['messages'],
        summary: 'Send a failed reply again',
        params: idParams,
        response: { 200: messageSchema },
      },
    },
    async (request) => retryReply(deps, principalOf(request).accountId, request.params.id),
  );
}
