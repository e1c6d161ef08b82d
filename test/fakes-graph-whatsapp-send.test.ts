import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphErrorSchema } from '../src/server/channels/meta/graph-error.js';
import { bearer, hasValidHubSignature, jsonBody, metaEndpoint, startFakeGraph } from './fakes/graph.js';
import type { FakeGraph, WhatsAppEnvelope, WhatsAppStatus } from './fakes/graph.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub, StubRequest } from './fakes/http-stub.js';
import { sampleOggOpus, samplePdf, samplePng } from './fakes/samples.js';

const SECRET = 'wa-app-secret';
const TOKEN = 'EAAG-wa-token';
const CUSTOMER = '15551234567';

let graph: FakeGraph;
let hook: HttpStub;
let media: HttpStub;
let now: number;
const hosted = new Map<string, { bytes: Buffer; type: string }>();

beforeEach(async () => {
  now = 1_700_000_000_000;
  hosted.clear();
  hook = await startHttpStub(metaEndpoint('verify'));
  media = await startHttpStub((request) => {
    const item = hosted.get(request.path);
    return item ? { status: 200, headers: { 'content-type': item.type }, body: item.bytes } : { status: 404 };
  });
  graph = await startFakeGraph({
    appSecret: SECRET,
    accessToken: TOKEN,
    whatsapp: { webhookUrl: hook.url('/webhooks/whatsapp/ch1') },
    clock: () => now,
  });
});
afterEach(async () => {
  await graph.close();
  await hook.close();
  await media.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${graph.graphUrl}${path}`, { ...init, headers: { ...bearer(TOKEN), ...init.headers } });

const send = (body: unknown) =>
  api(`/${graph.whatsappAccount.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function graphError(response: Response, status: number) {
  expect(response.status).toBe(status);
  return graphErrorSchema.parse(await response.json()).error;
}

const statusesIn = (request: StubRequest): WhatsAppStatus[] =>
  (jsonBody(request) as WhatsAppEnvelope).entry[0]?.changes[0]?.value.statuses ?? [];
const isStatus = (request: StubRequest): boolean => statusesIn(request).length > 0;

describe('fake WhatsApp: send', () => {
  it('validates like the Cloud API', async () => {
    const missingTo = await graphError(
      await send({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }),
      400,
    );
    expect(missingTo).toMatchObject({ code: 100, message: '(#100) The parameter to is required.' });
    expect((await graphError(await send({ to: CUSTOMER, text: { body: 'x' } }), 400)).message).toContain(
      'messaging_product',
    );
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER };
    const png = graph.whatsapp.addMedia(await samplePng(), 'image/png');
    const audio = graph.whatsapp.addMedia(sampleOggOpus(), 'audio/ogg');
    expect(
      (await graphError(await send({ ...base, type: 'audio', audio: { id: audio.id, caption: 'no' } }), 400))
        .code,
    ).toBe(100);
    expect((await graphError(await send({ ...base, type: 'image', image: { id: '999' } }), 400)).code).toBe(
      100,
    );
    expect((await graphError(await send({ ...base, type: 'video', video: { id: png.id } }), 400)).code).toBe(
      100,
    );
    expect(
      (
        await graphError(
          await send({ ...base, type: 'image', image: { id: png.id, link: 'https://x.test/a.png' } }),
          400,
        )
      ).code,
    ).toBe(100);
    expect(
      (
        await graphError(
          await send({ ...base, type: 'image', image: { id: png.id, caption: 'c'.repeat(1025) } }),
          400,
        )
      ).code,
    ).toBe(100);
    expect((await graphError(await send({ ...base, type: 'poll' }), 400)).message).toContain(
      'Param type must be one of',
    );
    expect(graph.whatsapp.sent).toHaveLength(0);
  });

  it('answers with contacts and a wamid, then posts signed sent and delivered statuses', async () => {
    const response = await send({
      messaging_product: 'whatsapp',
      to: `+${CUSTOMER}`,
      type: 'text',
      text: { body: 'hi' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      messaging_product: string;
      contacts: unknown;
      messages: Array<{ id: string }>;
    };
    expect(body.messaging_product).toBe('whatsapp');
    expect(body.contacts).toEqual([{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }]);
    const wamid = body.messages[0]?.id ?? '';
    expect(wamid).toMatch(/^wamid\./);
    await graph.whatsapp.waitForSettled(wamid);
    const posted = await hook.waitForCount(2, isStatus);
    expect(posted.map((request) => statusesIn(request)[0]?.status)).toEqual(['sent', 'delivered']);
    for (const request of posted) {
      expect(hasValidHubSignature(request, SECRET)).toBe(true);
      expect(statusesIn(request)[0]).toMatchObject({ id: wamid, recipient_id: CUSTOMER });
    }
    await graph.whatsapp.pushStatus(wamid, 'read');
    const read = await hook.waitForCount(3, isStatus);
    expect(read[2] && statusesIn(read[2])[0]?.status).toBe('read');
  });

  it('sends uploaded media by id and linked media after fetching it', async () => {
    const png = await samplePng();
    const uploaded = graph.whatsapp.addMedia(png, 'image/png');
    const byId = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'image',
      image: { id: uploaded.id, caption: 'c' },
    });
    const idWamid = ((await byId.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    expect((await graph.whatsapp.waitForSettled(idWamid)).media?.bytes.equals(png)).toBe(true);

    hosted.set('/files/report.pdf', { bytes: samplePdf(), type: 'application/pdf' });
    const byLink = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'document',
      document: { link: media.url('/files/report.pdf'), filename: 'report.pdf' },
    });
    const linkWamid = ((await byLink.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    const settled = await graph.whatsapp.waitForSettled(linkWamid);
    expect(settled.media).toMatchObject({ mimeType: 'application/pdf' });
    expect(
      media.received.some((request) => request.method === 'GET' && request.path === '/files/report.pdf'),
    ).toBe(true);
  });

  it('fails a linked image whose bytes are not what the Content-Type says with 131053', async () => {
    hosted.set('/lie.jpg', { bytes: await samplePng(), type: 'image/jpeg' });
    const response = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'image',
      image: { link: media.url('/lie.jpg') },
    });
    expect(response.status).toBe(200);
    const wamid = ((await response.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    const settled = await graph.whatsapp.waitForSettled(wamid);
    expect(settled.statuses.map((status) => status.status)).toEqual(['failed']);
    const [posted] = await hook.waitForCount(1, isStatus);
    expect(posted && statusesIn(posted)[0]?.errors?.[0]).toMatchObject({
      code: 131053,
      title: 'Media upload error',
    });
  });

  it('accepts a send outside the window and then fails it with 131047; templates and a new inbound reopen it', async () => {
    graph.controls.setWhatsAppWindow(CUSTOMER, 'closed');
    const response = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'text',
      text: { body: 'late' },
    });
    expect(response.status).toBe(200);
    const wamid = ((await response.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    const settled = await graph.whatsapp.waitForSettled(wamid);
    expect(settled.statuses).toHaveLength(1);
    expect(settled.statuses[0]).toMatchObject({
      status: 'failed',
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });

    const template = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'template',
      template: { name: 'follow_up', language: { code: 'en_US' } },
    });
    const templateId = ((await template.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    expect((await graph.whatsapp.waitForSettled(templateId)).statuses.map((s) => s.status)).toEqual([
      'sent',
      'delivered',
    ]);

    await graph.whatsapp.receive({ from: CUSTOMER, message: { type: 'text', body: 'back' } });
    const again = await send({
      messaging_product: 'whatsapp',
      to: CUSTOMER,
      type: 'text',
      text: { body: 'now' },
    });
    const againId = ((await again.json()) as { messages: Array<{ id: string }> }).messages[0]?.id ?? '';
    expect((await graph.whatsapp.waitForSettled(againId)).statuses.at(-1)?.status).toBe('delivered');
  });

  it('answers 401 with code 190 once the token has expired', async () => {
    graph.controls.expireAccessToken();
    const error = await graphError(
      await send({ messaging_product: 'whatsapp', to: CUSTOMER, text: { body: 'x' } }),
      401,
    );
    expect(error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
    graph.controls.restoreAccessToken();
    expect((await send({ messaging_product: 'whatsapp', to: CUSTOMER, text: { body: 'x' } })).status).toBe(
      200,
    );
  });

  it('answers an injected error for one recipient only', async () => {
    graph.controls.setSendError(CUSTOMER, {
      status: 400,
      error: { message: '(#131026) Message undeliverable', code: 131026 },
    });
    expect(
      (
        await graphError(
          await send({ messaging_product: 'whatsapp', to: CUSTOMER, text: { body: 'x' } }),
          400,
        )
      ).code,
    ).toBe(131026);
    expect(
      (await send({ messaging_product: 'whatsapp', to: '15557654321', text: { body: 'x' } })).status,
    ).toBe(200);
  });
});
