import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twilioErrorSchema } from '../src/server/channels/twilio/twilio-error.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub } from './fakes/http-stub.js';
import { bigPng, samplePdf, samplePng } from './fakes/samples.js';
import { basicAuthHeader, formField, hasValidTwilioSignature, startFakeTwilio } from './fakes/twilio.js';
import type { FakeTwilio } from './fakes/twilio.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-auth-token';

describe('fake Twilio: Messages API', () => {
  let fake: FakeTwilio;
  let callbacks: HttpStub;
  let media: HttpStub;
  let png: Buffer;
  const mediaBodies = new Map<string, { bytes: Buffer; type: string; headType?: string }>();

  beforeEach(async () => {
    png = await samplePng();
    mediaBodies.clear();
    fake = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN, fetchTimeoutMs: 5_000 });
    callbacks = await startHttpStub(() => ({ status: 204 }));
    media = await startHttpStub((request) => {
      const item = mediaBodies.get(request.path);
      if (!item) return { status: 404, body: 'missing' };
      const type = request.method === 'HEAD' ? (item.headType ?? item.type) : item.type;
      return { status: 200, headers: { 'content-type': type }, body: item.bytes };
    });
  });
  afterEach(async () => {
    await fake.close();
    await callbacks.close();
    await media.close();
  });

  const send = (fields: Array<[string, string]>, authorization = basicAuthHeader(ACCOUNT, TOKEN)) =>
    fetch(`${fake.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  async function expectError(response: Response, status: number, code: number): Promise<void> {
    expect(response.status).toBe(status);
    const body = twilioErrorSchema.parse(await response.json());
    expect(body).toMatchObject({ code, status, more_info: `https://www.twilio.com/docs/errors/${code}` });
  }

  it('refuses bad credentials and invalid requests with Twilio error bodies', async () => {
    const base: Array<[string, string]> = [
      ['From', '+15550001111'],
      ['To', '+15552223333'],
      ['Body', 'hi'],
    ];
    await expectError(await send(base, basicAuthHeader(ACCOUNT, 'wrong')), 401, 20003);
    await expectError(await send(base, ''), 401, 20003);
    await expectError(
      await send([
        ['From', '+15550001111'],
        ['Body', 'hi'],
      ]),
      400,
      21604,
    );
    await expectError(
      await send([
        ['To', '+15552223333'],
        ['Body', 'hi'],
      ]),
      400,
      21603,
    );
    await expectError(
      await send([
        ['From', '+15550001111'],
        ['To', '+15552223333'],
      ]),
      400,
      21602,
    );
    await expectError(await send([...base.slice(0, 2), ['Body', 'x'.repeat(1601)]]), 400, 21617);
    const eleven = Array.from({ length: 11 }, (_, i): [string, string] => [
      'MediaUrl',
      media.url(`/m/${i}.png`),
    ]);
    await expectError(await send([...base, ...eleven]), 400, 21623);
    await expectError(
      await send([
        ['From', '+15550001111'],
        ['To', '+442071234567'],
        ['MediaUrl', media.url('/a.png')],
      ]),
      400,
      21612,
    );
    expect(fake.sentMessages).toHaveLength(0);
    // The same body passes with 1600 characters and a Messaging Service instead of From.
    const ok = await send([
      ['MessagingServiceSid', `MG${'2'.repeat(32)}`],
      ['To', '+15552223333'],
      ['Body', 'x'.repeat(1600)],
    ]);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      status: 'accepted',
      from: null,
      num_media: '0',
      error_code: null,
    });
  });

  it('fetches media with HEAD then GET, answers 201 and posts signed sent then delivered', async () => {
    mediaBodies.set('/media/photo.png?sig=abc', { bytes: png, type: 'image/png' });
    const response = await send([
      ['From', '+15550001111'],
      ['To', '+15552223333'],
      ['Body', 'your photo'],
      ['MediaUrl', media.url('/media/photo.png?sig=abc')],
      ['StatusCallback', callbacks.url('/webhooks/sms/ch1/status')],
    ]);
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ status: 'queued', num_media: '1', error_code: null, to: '+15552223333' });
    expect(String(created.sid)).toMatch(/^MM[0-9a-f]{32}$/);

    const settled = await fake.waitForSettled(String(created.sid));
    expect(settled.status).toBe('delivered');
    expect(media.received.map((request) => request.method)).toEqual(['HEAD', 'GET']);
    expect(media.received.every((request) => request.headers.authorization === undefined)).toBe(true);
    expect(settled.media[0]).toMatchObject({
      head: { status: 200, contentType: 'image/png' },
      get: { status: 200, contentType: 'image/png' },
      sniffedType: 'image/png',
    });
    expect(settled.media[0]?.bytes?.equals(png)).toBe(true);

    const posted = await callbacks.waitForCount(2);
    expect(posted.map((request) => formField(request, 'MessageStatus'))).toEqual(['sent', 'delivered']);
    for (const request of posted) {
      expect(formField(request, 'MessageSid')).toBe(created.sid);
      expect(hasValidTwilioSignature(request, callbacks.url('/webhooks/sms/ch1/status'), TOKEN)).toBe(true);
    }
    const fetched = await fetch(
      `${fake.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Messages/${String(created.sid)}.json`,
      {
        headers: { authorization: basicAuthHeader(ACCOUNT, TOKEN) },
      },
    );
    expect(await fetched.json()).toMatchObject({ sid: created.sid, status: 'delivered' });
  });

  async function sendAndSettle(url: string) {
    const response = await send([
      ['From', '+15550001111'],
      ['To', '+15552223333'],
      ['MediaUrl', url],
      ['StatusCallback', callbacks.url('/status')],
    ]);
    expect(response.status).toBe(201);
    const { sid } = (await response.json()) as { sid: string };
    const settled = await fake.waitForSettled(sid);
    const [callback] = await callbacks.waitForCount(1);
    return { settled, callback };
  }

  it('fails asynchronously with 12300 when the declared type does not match the bytes', async () => {
    mediaBodies.set('/lie.jpg', { bytes: png, type: 'image/jpeg' });
    const { settled, callback } = await sendAndSettle(media.url('/lie.jpg'));
    expect(settled).toMatchObject({ status: 'failed', errorCode: 12300 });
    expect(callback && formField(callback, 'MessageStatus')).toBe('failed');
    expect(callback && formField(callback, 'ErrorCode')).toBe('12300');
  });

  it('fails with 12300 when HEAD and GET disagree on the type', async () => {
    mediaBodies.set('/doc', {
      bytes: samplePdf(),
      type: 'application/pdf',
      headType: 'application/octet-stream',
    });
    const { settled } = await sendAndSettle(media.url('/doc'));
    expect(settled).toMatchObject({ status: 'failed', errorCode: 12300 });
  });

  it('fails with 63034 above 5 MB and with 11200 when our URL answers 404', async () => {
    mediaBodies.set('/big.png', { bytes: bigPng(5 * 1024 * 1024 + 1), type: 'image/png' });
    expect((await sendAndSettle(media.url('/big.png'))).settled).toMatchObject({
      status: 'failed',
      errorCode: 63034,
    });
    callbacks.received.length = 0;
    expect((await sendAndSettle(media.url('/gone.png'))).settled).toMatchObject({
      status: 'failed',
      errorCode: 11200,
    });
  });

  it('reports a recipient outcome, in reverse order when asked', async () => {
    fake.controls.setRecipientOutcome('+15552223333', { status: 'undelivered', errorCode: 30003 });
    fake.controls.setStatusOrder('reversed');
    const response = await send([
      ['From', '+15550001111'],
      ['To', '+15552223333'],
      ['Body', 'hello'],
      ['StatusCallback', callbacks.url('/status')],
    ]);
    const { sid } = (await response.json()) as { sid: string };
    expect(sid).toMatch(/^SM/);
    const settled = await fake.waitForSettled(sid);
    expect(settled).toMatchObject({ status: 'undelivered', errorCode: 30003 });
    const posted = await callbacks.waitForCount(2);
    expect(posted.map((request) => formField(request, 'MessageStatus'))).toEqual(['undelivered', 'sent']);
    expect(posted[0] && formField(posted[0], 'ErrorCode')).toBe('30003');
  });

  it('converts media to an SMS with links outside US/CA when configured to', async () => {
    fake.controls.setNonUsCaMedia('convert');
    mediaBodies.set('/p.png', { bytes: png, type: 'image/png' });
    const response = await send([
      ['From', '+15550001111'],
      ['To', '+442071234567'],
      ['Body', 'photo'],
      ['MediaUrl', media.url('/p.png')],
    ]);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { sid: string; body: string };
    expect(body.sid).toMatch(/^SM/);
    expect(body.body).toBe(`photo\n${media.url('/p.png')}`);
    expect((await fake.waitForSettled(body.sid)).convertedToSms).toBe(true);
  });

  it('posts a status callback on demand, signed', async () => {
    const answer = await fake.sendStatus({
      url: callbacks.url('/status?channel=1'),
      messageSid: `SM${'3'.repeat(32)}`,
      status: 'failed',
      errorCode: 30007,
    });
    expect(answer.status).toBe(204);
    const request = await callbacks.waitFor();
    expect(formField(request, 'ErrorCode')).toBe('30007');
    expect(hasValidTwilioSignature(request, callbacks.url('/status?channel=1'), TOKEN)).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});
