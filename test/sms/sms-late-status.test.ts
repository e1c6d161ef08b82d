// Twilio may call back within milliseconds of accepting a message, before the send job has
// written down Twilio's id: such a status is kept and applied once the delivery is known.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../../src/shared/api-schemas.js';
import { recordDelivery } from '../../src/server/channels/send-message.js';
import { startJobs } from '../../src/server/compose.js';
import {
  newCustomer,
  smsWorld,
  threadOf,
  ticketOf,
  waitFor,
  webhookUrl,
  type SmsWorld,
} from './sms-setup.js';

let world: SmsWorld;

beforeAll(async () => {
  world = await smsWorld({ jobs: false });
});
afterAll(() => world.close());

it('applies a status that arrives before its delivery is recorded', async () => {
  const from = newCustomer();
  await world.fake.sendInbound({ webhookUrl: webhookUrl(world), from, to: world.number, body: 'hello' });
  const ticket = (await ticketOf(world, from))!;
  const reply = await world.agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
    text: 'Hi!',
  });
  const sid = `SM${'c'.repeat(32)}`;
  const early = await world.fake.sendStatus({
    url: `${webhookUrl(world)}/status`,
    messageSid: sid,
    status: 'delivered',
  });
  expect(early.status).toBe(200);
  const pending = await world.h.deps.db
    .selectFrom('jobs')
    .select(['name', 'state'])
    .where('name', '=', 'delivery.late-status')
    .execute();
  expect(pending).toEqual([{ name: 'delivery.late-status', state: 'queued' }]);

  const account = await world.h.deps.db
    .selectFrom('tickets')
    .select('accountId')
    .where('id', '=', ticket.id)
    .executeTakeFirstOrThrow();
  await recordDelivery(
    world.h.deps,
    { accountId: account.accountId, messageId: reply.body.id, channelId: world.channel.id },
    0,
    sid,
    'sending',
  );
  startJobs(world.h.deps);
  const delivered = await waitFor(async () => {
    const message = (await threadOf(world, ticket.id)).find((m) => m.id === reply.body.id);
    return message?.status === 'delivered' ? message : undefined;
  }, 'the early status applied');
  expect(delivered.status).toBe('delivered');
  await world.h.deps.queue.idle();
  expect(world.fake.sentMessages.filter((m) => m.to === from)).toHaveLength(0);
});
