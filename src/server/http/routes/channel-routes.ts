import { z } from 'zod';
import { channelSchema } from '../../../shared/api-schemas.js';
import type { Deps } from '../../context.js';
import {
  channelChangeSchema,
  createChannel,
  deleteChannel,
  listChannels,
  newChannelSchema,
  updateChannel,
} from '../../domain/channels.js';
import { principalOf } from '../auth.js';
import type { App } from '../types.js';

const idParams = z.object({ id: z.string().max(64) });

export function channelRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/channels',
    {
      config: { auth: 'agent' },
      schema: { tags: ['channels'], response: { 200: z.object({ channels: z.array(channelSchema) }) } },
    },
    async (request) => ({ channels: await listChannels(deps, principalOf(request).accountId) }),
  );

  app.post(
    '/api/channels',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['channels'],
        summary: 'Create a channel (admins)',
        body: newChannelSchema,
        response: { 201: channelSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createChannel(deps, principalOf(request).accountId, request.body)),
  );

  app.patch(
    '/api/channels/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['channels'],
        params: idParams,
        body: channelChangeSchema,
        response: { 200: channelSchema },
      },
    },
    async (request) => updateChannel(deps, principalOf(request).accountId, request.params.id, request.body),
  );

  app.delete(
    '/api/channels/:id',
    { config: { auth: 'admin' }, schema: { tags: ['channels'], params: idParams } },
    async (request, reply) => {
      await deleteChannel(deps, principalOf(request).accountId, request.params.id);
      return reply.status(204).send();
    },
  );
}
