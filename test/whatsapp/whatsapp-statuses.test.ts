import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/api-schemas.js';
import { buildWhatsAppEnvelope, waStatus } from '../fakes/graph.js';
import { messageById, startWhatsAppWorld, ticketOf, until, type WhatsAppWorld } from './setup.js';

let w: WhatsAppWorld;
let customers = 0;
const nextCustomer = () => `1555${String(4_000_000 + ++customers).padStart(7, '0')}`;

beforeAll(async () => {
  w = await startWhatsAppWorld({ autoStatuses: false });
});
afterAll(() => w.close());

async function sentReply(): Promise<{ ticketId: string; messageId: string; wamid: string; from: string }> {
  const from = nextCustomer();
  await w.graph.whatsapp.receive({ from, message: { type: 'text', body: 'hi' } });
  const ticketId = (await ticketOf(w, from)).id;
  const sent = await w.agent.request<Message>('POST', `/api/tickets/${ticketId}/messages`, { text: 'ok' });
  const message = await until(async () => {
    await w.h.deps.queue.idle();
    const current = await messageById(w, ticketId, sent.body.id);
    return current.status === 'sent' ? current : null;
  }, 'the reply to be sent');
  const wamid = w.graph.whatsapp.sent.find((m) => m.spec.waId === from)!.wamid;
  return { ticketId, messageId: message.id, wamid, from };
}

describe('WhatsApp delivery statuses', () => {
  it('never moves a message backwards when statuses arrive out of order', async () => {
    const { ticketId, messageId, wamid } = await sentReply();
    await w.graph.whatsapp.pushStatus(wamid, 'read');
    expect((await messageById(w, ticketId, messageId)).status).toBe('read');
    await w.graph.whatsapp.pushStatus(wamid, 'delivered');
    await w.graph.whatsapp.pushStatus(wamid, 'sent');
    expect((await messageById(w, ticketId, messageId)).status).toBe('read');
  });

  it('does not let a late failure undo a delivery', async () => {
    const { ticketId, messageId, wamid } = await sentReply();
    await w.graph.whatsapp.pushStatus(wamid, 'delivered');
    await w.graph.whatsapp.pushStatus(wamid, 'failed', [{ code: 131026, title: 'Message undeliverable' }]);
    expect((await messageById(w, ticketId, messageId)).status).toBe('delivered');
  });

  it('applies a status that arrives before the send is recorded, once it is', async () => {
    const { ticketId, messageId, from } = await sentReply();
    const early = 'wamid.EARLY-STATUS-0001';
    const envelope = buildWhatsAppEnvelope(w.graph.whatsappAccount, {
      statuses: [waStatus({ id: early, status: 'read', recipientId: from })],
    });
    expect((await w.graph.deliverWhatsApp(w.channel.webhookUrl!, envelope)).response?.status).toBe(200);
    expect((await messageById(w, ticketId, messageId)).status).toBe('sent');
    const waiting = await w.h.deps.db
      .selectFrom('jobs')
      .select(['name', 'state'])
      .where('name', '=', 'inbound.deferred')
      .where('state', '=', 'queued')
      .execute();
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    // The send job records the provider id only now (as when Meta's status beats our record).
    await w.h.deps.db
      .updateTable('deliveries')
      .set({ providerMessageId: early })
      .where('messageId', '=', messageId)
      .execute();
    await until(async () => {
      await w.h.deps.queue.idle();
      return (await messageById(w, ticketId, messageId)).status === 'read';
    }, 'the early status to be applied');
  });

  it('explains a failure status from its error code', async () => {
    const { ticketId, messageId, wamid } = await sentReply();
    await w.graph.whatsapp.pushStatus(wamid, 'failed', [
      {
        code: 131047,
        title: 'Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
      },
    ]);
    const failed = await messageById(w, ticketId, messageId);
    expect(failed).toMatchObject({ status: 'failed', errorCode: '131047' });
    expect(failed.errorMessage).toMatch(/^More than 24 hours since the customer's last message/);
  });
});
