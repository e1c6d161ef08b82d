import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphErrorSchema } from '../src/server/channels/meta/graph-error.js';
import { bearer, hasValidHubSignature, jsonBody, metaEndpoint, startFakeGraph } from './fakes/graph.js';
import type { FakeGraph, WhatsAppEnvelope } from './fakes/graph.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub } from './fakes/http-stub.js';
import { bigPng, sampleJpeg, sampleOggOpus, samplePdf, samplePng, sampleWebp } from './fakes/samples.js';

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

async function graphError(response: Response, status: number) {
  expect(response.status).toBe(status);
  return graphErrorSchema.parse(await response.json()).error;
}

describe('fake WhatsApp: inbound', () => {
  it('delivers a signed text message in the Cloud API envelope', async () => {
    const result = await graph.whatsapp.receive({
      from: CUSTOMER,
      name: 'Zoë',
      message: { type: 'text', body: 'hello' },
    });
    expect(result.delivery.response?.status).toBe(200);
    const request = await hook.waitFor();
    expect(request.path).toBe('/webhooks/whatsapp/ch1');
    expect(hasValidHubSignature(request, SECRET)).toBe(true);
    const envelope = jsonBody(request) as WhatsAppEnvelope;
    expect(envelope.object).toBe('whatsapp_business_account');
    const value = envelope.entry[0]?.changes[0]?.value;
    expect(value?.metadata.phone_number_id).toBe(graph.whatsappAccount.phoneNumberId);
    expect(value?.contacts).toEqual([{ profile: { name: 'Zoë' }, wa_id: CUSTOMER }]);
    expect(value?.messages?.[0]).toMatchObject({ from: CUSTOMER, type: 'text', text: { body: 'hello' } });
    expect(value?.messages?.[0]?.id).toBe(result.wamid);
    expect(value?.messages?.[0]?.timestamp).toBe(String(now / 1000));
  });

  it('builds image, document, voice, video, sticker and unsupported messages', async () => {
    const png = await samplePng();
    const image = await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'image', bytes: png, mimeType: 'image/png', caption: 'look' },
    });
    const doc = await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'document', bytes: samplePdf(), mimeType: 'application/pdf', filename: 'invoice.pdf' },
      sha256Encoding: 'hex',
    });
    const voice = await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'audio', bytes: sampleOggOpus(), mimeType: 'audio/ogg; codecs=opus', voice: true },
    });
    await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'sticker', bytes: await sampleWebp(), mimeType: 'image/webp' },
    });
    await graph.whatsapp.receive({ from: CUSTOMER, message: { type: 'unsupported' } });
    const messages = (await hook.waitForCount(5)).map(
      (request) => (jsonBody(request) as WhatsAppEnvelope).entry[0]?.changes[0]?.value.messages?.[0],
    );
    expect(messages[0]).toMatchObject({
      type: 'image',
      image: {
        id: image.mediaId,
        mime_type: 'image/png',
        caption: 'look',
        sha256: createHash('sha256').update(png).digest('base64'),
      },
    });
    expect(messages[1]).toMatchObject({
      type: 'document',
      document: {
        id: doc.mediaId,
        filename: 'invoice.pdf',
        sha256: createHash('sha256').update(samplePdf()).digest('hex'),
      },
    });
    expect(messages[2]).toMatchObject({ type: 'audio', audio: { id: voice.mediaId, voice: true } });
    expect(messages[3]).toMatchObject({
      type: 'sticker',
      sticker: { mime_type: 'image/webp', animated: false },
    });
    expect(messages[4]).toMatchObject({ type: 'unsupported', errors: [{ code: 131051 }] });
  });

  it('serves media in two steps with Bearer auth and a URL that lapses', async () => {
    const jpeg = await sampleJpeg();
    const { mediaId } = await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'image', bytes: jpeg, mimeType: 'image/jpeg' },
    });
    expect((await graphError(await fetch(`${graph.graphUrl}/${mediaId}`), 400)).code).toBe(104);
    const meta = await api(`/${mediaId}?phone_number_id=${graph.whatsappAccount.phoneNumberId}`);
    expect(meta.status).toBe(200);
    const info = (await meta.json()) as {
      url: string;
      mime_type: string;
      sha256: string;
      file_size: number;
      id: string;
    };
    expect(info).toMatchObject({
      mime_type: 'image/jpeg',
      sha256: createHash('sha256').update(jpeg).digest('hex'),
      file_size: jpeg.length,
      id: mediaId,
      messaging_product: 'whatsapp',
    });
    expect((await fetch(info.url)).status).toBe(401);
    const download = await fetch(info.url, { headers: bearer(TOKEN) });
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(jpeg)).toBe(true);

    now += 5 * 60 * 1000;
    expect((await fetch(info.url, { headers: bearer(TOKEN) })).status).toBe(404);
    const again = (await (await api(`/${mediaId}`)).json()) as { url: string };
    expect(again.url).not.toBe(info.url);
    expect((await fetch(again.url, { headers: bearer(TOKEN) })).status).toBe(200);
  });

  it('lies about file_size, loses a media id, and expires mid-download on request', async () => {
    const png = await samplePng(64, 64);
    const { mediaId = '' } = await graph.whatsapp.receive({
      from: CUSTOMER,
      message: { type: 'image', bytes: png, mimeType: 'image/png' },
    });
    graph.controls.lieAboutFileSize(mediaId, '12');
    const lied = (await (await api(`/${mediaId}`)).json()) as { url: string; file_size: unknown };
    expect(lied.file_size).toBe('12');

    graph.controls.expireMidDownload(mediaId);
    const partial = await fetch(lied.url, { headers: bearer(TOKEN) });
    expect(partial.status).toBe(200);
    await expect(partial.arrayBuffer()).rejects.toThrow();
    expect((await fetch(lied.url, { headers: bearer(TOKEN) })).status).toBe(404);

    graph.controls.failMediaId(mediaId);
    expect(await graphError(await api(`/${mediaId}`), 400)).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('fake WhatsApp: upload', () => {
  async function upload(
    bytes: Buffer,
    type: string,
    fields: Record<string, string> = { messaging_product: 'whatsapp' },
  ) {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)], { type }), 'upload.bin');
    form.set('type', type);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    return api(`/${graph.whatsappAccount.phoneNumberId}/media`, { method: 'POST', body: form });
  }

  it('stores a valid upload and serves it back by id', async () => {
    const png = await samplePng();
    const response = await upload(png, 'image/png');
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    expect(graph.whatsapp.getMedia(id)?.bytes.equals(png)).toBe(true);
    const info = (await (await api(`/${id}`)).json()) as { mime_type: string; file_size: number };
    expect(info).toMatchObject({ mime_type: 'image/png', file_size: png.length });
  });

  it('refuses what Meta refuses', async () => {
    const png = await samplePng();
    expect((await graphError(await upload(png, 'image/jpeg'), 400)).code).toBe(131053);
    expect((await graphError(await upload(png, 'image/gif'), 400)).code).toBe(100);
    expect((await graphError(await upload(bigPng(5 * 1024 * 1024 + 1), 'image/png'), 400)).code).toBe(131053);
    expect((await graphError(await upload(png, 'image/png', {}), 400)).error_data?.details).toContain(
      'messaging_product',
    );
    expect(
      (await graphError(await upload(await sampleWebp(100, 100), 'image/webp'), 400)).error_data?.details,
    ).toContain('512x512');
    expect((await upload(await sampleWebp(), 'image/webp')).status).toBe(200);
    expect((await upload(sampleOggOpus(), 'audio/ogg')).status).toBe(200);
  });
});
