// Responses are written without re-validation in production, so the published shapes are
// checked here, against the same schemas the OpenAPI description is generated from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  agentSchema,
  attachmentSchema,
  channelSchema,
  contactSchema,
  messageSchema,
  ticketSchema,
  type Attachment,
  type Ticket,
} from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildChannel, deliver, startMediaHost, type MediaHost } from '../support/channel.js';
import { buildAccount, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createTestAdapter } from '../support/test-adapter.js';

let h: Harness;
let agent: Client;
let media: MediaHost;

beforeAll(async () => {
  h = await createHarness({ adapters: [createTestAdapter('sms').adapter] });
  media = await startMediaHost();
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  const channel = await buildChannel(agent);
  media.files.set('/x.jpg', { bytes: await jpeg(64, 48), type: 'image/jpeg' });
  await deliver(h, channel, [
    { id: 'shape-1', from: '+15553000', name: 'Bia', text: 'hi', media: [{ url: `${media.url}/x.jpg` }] },
  ]);
  await h.deps.queue.idle();
});
afterAll(async () => {
  await media.close();
  await h.close();
});

const strict = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) => schema.strict();

describe('published response shapes', () => {
  it('match their schemas exactly (no missing and no stray fields)', async () => {
    const tickets = await agent.request<{ tickets: Ticket[]; nextCursor: string | null }>(
      'GET',
      '/api/tickets',
    );
    z.object({ tickets: z.array(strict(ticketSchema)), nextCursor: z.string().nullable() })
      .strict()
      .parse(tickets.body);
    const ticket = tickets.body.tickets[0]!;
    strict(ticketSchema).parse((await agent.request('GET', `/api/tickets/${ticket.id}`)).body);
    const thread = await agent.request('GET', `/api/tickets/${ticket.id}/messages`);
    const messages = z
      .object({
        messages: z.array(messageSchema.extend({ attachments: z.array(strict(attachmentSchema)) }).strict()),
        nextCursor: z.string().nullable(),
      })
      .strict()
      .parse(thread.body);
    expect(messages.messages[0]!.attachments[0]!.state).toBe('ready');
    const upload = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'a.txt', bytes: Buffer.from('a') },
    ]);
    z.object({ attachments: z.array(strict(attachmentSchema)) })
      .strict()
      .parse(upload.body);
    const reply = await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'ok',
      attachmentIds: [upload.body.attachments[0]!.id],
    });
    messageSchema
      .extend({ attachments: z.array(strict(attachmentSchema)) })
      .strict()
      .parse(reply.body);
    z.object({ channels: z.array(strict(channelSchema)) })
      .strict()
      .parse((await agent.request('GET', '/api/channels')).body);
    z.object({ agents: z.array(strict(agentSchema)) })
      .strict()
      .parse((await agent.request('GET', '/api/agents')).body);
    const contacts = await agent.request('GET', '/api/contacts');
    z.object({ contacts: z.array(strict(contactSchema)), nextCursor: z.string().nullable() })
      .strict()
      .parse(contacts.body);
    strict(contactSchema).parse((await agent.request('GET', `/api/contacts/${ticket.contact.id}`)).body);
    z.object({
      agent: strict(agentSchema),
      account: z.object({ id: z.string(), name: z.string() }).strict(),
      csrfToken: z.string().nullable(),
    })
      .strict()
      .parse((await agent.request('GET', '/api/me')).body);
  });
});
