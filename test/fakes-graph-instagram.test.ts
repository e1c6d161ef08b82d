import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphErrorSchema } from '../src/server/channels/meta/graph-error.js';
import { bearer, hasValidHubSignature, jsonBody, startFakeGraph } from './fakes/graph.js';
import type { FakeGraph, InstagramEnvelope, InstagramMessage } from './fakes/graph.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub, StubRequest } from './fakes/http-stub.js';
import { bigPng, sampleJpeg, sampleMp4, samplePdf, samplePng } from './fakes/samples.js';

const SECRET = 'ig-app-secret';
const TOKEN = 'IGAA-token';
const USER = '6543210987654321';

let graph: FakeGraph;
let hook: HttpStub;
let media: HttpStub;
let now: number;
const hosted = new Map<string, { bytes: Buffer; type: string }>();

beforeEach(async () => {
  now = 1_700_000_000_000;
  hosted.clear();
  hook = await startHttpStub(() => ({ status: 200, body: 'EVENT_RECEIVED' }));
  media = await startHttpStub((request) => {
    const item = hosted.get(request.path);
    return item ? { status: 200, headers: { 'content-type': item.type }, body: item.bytes } : { status: 404 };
  });
  graph = await startFakeGraph({
    appSecret: SECRET,
    accessToken: TOKEN,
    instagram: { webhookUrl: hook.url('/webhooks/instagram/ch1') },
    clock: () => now,
  });
});
afterEach(async () => {
  await graph.close();
  await hook.close();
  await media.close();
});

const messageOf = (request: StubRequest): InstagramMessage | undefined =>
  (jsonBody(request) as InstagramEnvelope).entry[0]?.messaging[0]?.message;

const send = (body: unknown, id = 'me') =>
  fetch(`${graph.graphUrl}/${id}/messages`, {
    method: 'POST',
    headers: { ...bearer(TOKEN), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function graphError(response: Response, status = 400) {
  expect(response.status).toBe(status);
  return graphErrorSchema.parse(await response.json()).error;
}

describe('fake Instagram: inbound', () => {
  it('delivers a signed messaging event with a CDN attachment that lapses on schedule', async () => {
    const jpeg = await sampleJpeg();
    const result = await graph.instagram.receive({
      senderId: USER,
      text: 'photo',
      attachments: [{ type: 'image', bytes: jpeg, contentType: 'image/jpeg', expiresInMs: 60_000 }],
    });
    const request = await hook.waitFor();
    expect(hasValidHubSignature(request, SECRET)).toBe(true);
    const envelope = jsonBody(request) as InstagramEnvelope;
    expect(envelope.object).toBe('instagram');
    expect(envelope.entry[0]).toMatchObject({ id: graph.igAccountId, time: now });
    expect(envelope.entry[0]?.messaging[0]).toMatchObject({
      sender: { id: USER },
      recipient: { id: graph.igAccountId },
      timestamp: now,
      message: {
        mid: result.mid,
        text: 'photo',
        attachments: [{ type: 'image', payload: { url: result.attachmentUrls[0] } }],
      },
    });
    const url = result.attachmentUrls[0] ?? '';
    const fresh = await fetch(url);
    expect(fresh.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await fresh.arrayBuffer()).equals(jpeg)).toBe(true);
    now += 60_000;
    const lapsed = await fetch(url);
    expect(lapsed.status).toBe(403);
    expect(await lapsed.text()).toBe('URL signature expired');
  });

  it('builds every attachment type, deletions and echoes', async () => {
    const png = await samplePng();
    await graph.instagram.receive({
      senderId: USER,
      attachments: [
        { type: 'video', bytes: sampleMp4(), contentType: 'video/mp4' },
        { type: 'audio', bytes: sampleMp4(), contentType: 'audio/mp4' },
        { type: 'file', bytes: samplePdf(), contentType: 'application/pdf' },
        { type: 'share', url: 'https://www.instagram.com/p/abc/' },
        { type: 'story_mention', bytes: png, contentType: 'image/png' },
        { type: 'ig_reel', bytes: sampleMp4(), contentType: 'video/mp4', title: 'Reel' },
        { type: 'ig_post', bytes: png, contentType: 'image/png', title: 'Post' },
        { type: 'unsupported_type' },
      ],
    });
    const deleted = await graph.instagram.receive({ senderId: USER, mid: 'aWdfZAG1fm1pZA', isDeleted: true });
    await graph.instagram.receive({ senderId: USER, text: 'sent from the app', isEcho: true });
    const [withAttachments, deletion, echo] = await hook.waitForCount(3);
    const attachments = (withAttachments && messageOf(withAttachments)?.attachments) ?? [];
    expect(attachments.map((item) => item.type)).toEqual([
      'video',
      'audio',
      'file',
      'share',
      'story_mention',
      'ig_reel',
      'ig_post',
      'unsupported_type',
    ]);
    expect(attachments[5]?.payload).toMatchObject({ title: 'Reel', reel_video_id: expect.any(String) });
    expect(attachments[6]?.payload).toMatchObject({ title: 'Post', ig_post_media_id: expect.any(String) });
    expect(attachments[7]?.payload).toEqual({});
    expect(deletion && messageOf(deletion)).toEqual({ mid: deleted.mid, is_deleted: true });
    const echoEvent = echo && (jsonBody(echo) as InstagramEnvelope).entry[0]?.messaging[0];
    expect(echoEvent).toMatchObject({
      sender: { id: graph.igAccountId },
      recipient: { id: USER },
      message: { is_echo: true },
    });
  });

  it('serves 403, an HTML page or an endless body on request', async () => {
    const png = await samplePng();
    const forbidden = graph.instagram.addCdnMedia({
      bytes: png,
      contentType: 'image/png',
      behaviour: 'forbidden',
    });
    expect((await fetch(forbidden.url)).status).toBe(403);
    const html = graph.instagram.addCdnMedia({ bytes: png, contentType: 'image/png', behaviour: 'html' });
    const page = await fetch(html.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const huge = graph.instagram.addCdnMedia({
      bytes: png,
      contentType: 'image/png',
      behaviour: 'huge',
      hugeBytes: 64 * 1024 * 1024,
    });
    const big = await fetch(huge.url);
    expect(big.headers.get('content-length')).toBeNull();
    const reader = big.body?.getReader();
    let total = 0;
    while (reader && total <= 20 * 1024 * 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
    await reader?.cancel();
    expect(total).toBeGreaterThan(20 * 1024 * 1024);

    const normal = graph.instagram.addCdnMedia({ bytes: png, contentType: 'image/png' });
    graph.controls.setInstagramCdnBehaviour(normal.url, 'html');
    expect((await fetch(normal.url)).headers.get('content-type')).toContain('text/html');
    graph.controls.expireInstagramMedia(normal.id);
    expect((await fetch(normal.url)).status).toBe(403);
  });
});

describe('fake Instagram: send', () => {
  it('sends text and delivers a signed echo with the same mid', async () => {
    const response = await send({
      recipient: { id: USER },
      message: { text: 'Thanks!' },
      messaging_type: 'RESPONSE',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recipient_id: string; message_id: string };
    expect(body.recipient_id).toBe(USER);
    const echo = await graph.instagram.waitForEcho(body.message_id);
    expect(echo.response?.status).toBe(200);
    const request = await hook.waitFor();
    expect(hasValidHubSignature(request, SECRET)).toBe(true);
    const event = (jsonBody(request) as InstagramEnvelope).entry[0]?.messaging[0];
    expect(event).toMatchObject({
      sender: { id: graph.igAccountId },
      recipient: { id: USER },
      message: { mid: body.message_id, is_echo: true, text: 'Thanks!' },
    });
  });

  it('fetches an attachment URL like Meta and echoes it from its CDN', async () => {
    const png = await samplePng();
    hosted.set('/m/reply.png?sig=1', { bytes: png, type: 'image/png' });
    const response = await send(
      {
        recipient: { id: USER },
        message: { attachment: { type: 'image', payload: { url: media.url('/m/reply.png?sig=1') } } },
      },
      graph.igAccountId,
    );
    expect(response.status).toBe(200);
    const { message_id: mid } = (await response.json()) as { message_id: string };
    const fetchedBy = media.received.find((request) => request.path === '/m/reply.png?sig=1');
    expect(fetchedBy).toMatchObject({ method: 'GET' });
    expect(fetchedBy?.headers.authorization).toBeUndefined();
    expect(graph.instagram.sent[0]?.attachment).toMatchObject({ type: 'image', contentType: 'image/png' });
    await graph.instagram.waitForEcho(mid);
    const echoMessage = messageOf(await hook.waitFor());
    const echoUrl = String(echoMessage?.attachments?.[0]?.payload.url);
    expect(new URL(echoUrl).origin).toBe(graph.baseUrl);
    expect(Buffer.from(await (await fetch(echoUrl)).arrayBuffer()).equals(png)).toBe(true);
  });

  it('refuses attachments of the wrong family, GIFs, oversize files and unreachable URLs', async () => {
    hosted.set('/doc.pdf', { bytes: samplePdf(), type: 'application/pdf' });
    hosted.set('/lie.png', { bytes: samplePdf(), type: 'image/png' });
    hosted.set('/big.png', { bytes: bigPng(8 * 1024 * 1024 + 1), type: 'image/png' });
    hosted.set('/clip.mp4', { bytes: sampleMp4(), type: 'video/mp4' });
    const attach = (type: string, path: string) =>
      send({ recipient: { id: USER }, message: { attachment: { type, payload: { url: media.url(path) } } } });
    expect(await graphError(await attach('image', '/doc.pdf'))).toMatchObject({
      code: 100,
      error_subcode: 2018047,
    });
    expect(await graphError(await attach('image', '/lie.png'))).toMatchObject({
      code: 100,
      error_subcode: 2018047,
    });
    expect(await graphError(await attach('image', '/big.png'))).toMatchObject({
      code: 100,
      error_subcode: 2018047,
    });
    expect(await graphError(await attach('video', '/missing.mp4'))).toMatchObject({
      code: 100,
      error_subcode: 2018008,
    });
    expect((await graphError(await attach('sticker', '/clip.mp4'))).code).toBe(100);
    expect((await attach('file', '/doc.pdf')).status).toBe(200);
    expect((await attach('video', '/clip.mp4')).status).toBe(200);
    const both = await send({
      recipient: { id: USER },
      message: { text: 'a', attachment: { type: 'image', payload: { url: media.url('/doc.pdf') } } },
    });
    expect((await graphError(both)).code).toBe(100);
    expect((await graphError(await send({ message: { text: 'x' } }))).message).toContain('recipient');
    expect(
      (await graphError(await send({ recipient: { id: USER }, message: { text: 'x'.repeat(1001) } }))).code,
    ).toBe(100);
    expect(graph.instagram.sent).toHaveLength(2);
  });

  it('enforces the window: code 10 / 2534022 outside it, HUMAN_AGENT within 7 days', async () => {
    graph.controls.setInstagramWindow(USER, 'human-agent');
    expect(
      await graphError(await send({ recipient: { id: USER }, message: { text: 'late' } })),
    ).toMatchObject({
      code: 10,
      error_subcode: 2534022,
    });
    const tagged = await send({
      recipient: { id: USER },
      message: { text: 'late' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    expect(tagged.status).toBe(200);
    graph.controls.setInstagramWindow(USER, 'closed');
    const closed = await send({
      recipient: { id: USER },
      message: { text: 'later' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    expect((await graphError(closed)).error_subcode).toBe(2534022);
    await graph.instagram.receive({ senderId: USER, text: 'hi again' });
    expect((await send({ recipient: { id: USER }, message: { text: 'welcome back' } })).status).toBe(200);
  });

  it('answers code 190 once the token has expired, and 100/33 for another account id', async () => {
    graph.controls.expireAccessToken();
    expect((await graphError(await send({ recipient: { id: USER }, message: { text: 'x' } }))).code).toBe(
      190,
    );
    graph.controls.restoreAccessToken();
    expect(
      await graphError(await send({ recipient: { id: USER }, message: { text: 'x' } }, '999')),
    ).toMatchObject({
      code: 100,
      error_subcode: 33,
    });
  });
});
