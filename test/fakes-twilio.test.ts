import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  computeTwilioSignature,
  verifyTwilioSignature,
} from '../src/server/channels/twilio/twilio-signature.js';
import { twilioErrorSchema } from '../src/server/channels/twilio/twilio-error.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub, StubRequest } from './fakes/http-stub.js';
import { samplePng } from './fakes/samples.js';
import { basicAuthHeader, formField, hasValidTwilioSignature, startFakeTwilio } from './fakes/twilio.js';
import type { FakeTwilio } from './fakes/twilio.js';

const VECTOR_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const VECTOR_FIELDS: Array<[string, string]> = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+12349013030'],
  ['Digits', '1234'],
  ['From', '+12349013030'],
  ['To', '+18005551212'],
];

describe('Twilio signature', () => {
  it('matches the documented test vector from pairs and from a record', () => {
    expect(computeTwilioSignature(VECTOR_URL, VECTOR_FIELDS, '12345')).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(computeTwilioSignature(VECTOR_URL, Object.fromEntries(VECTOR_FIELDS), '12345')).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
    expect(computeTwilioSignature(VECTOR_URL, [...VECTOR_FIELDS].reverse(), '12345')).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  it('verifies the vector and refuses a wrong token, a changed field, or no signature', () => {
    const signature = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(
      verifyTwilioSignature({ url: VECTOR_URL, params: VECTOR_FIELDS, authToken: '12345', signature }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({ url: VECTOR_URL, params: VECTOR_FIELDS, authToken: '54321', signature }),
    ).toBe(false);
    const changed: Array<[string, string]> = [...VECTOR_FIELDS.slice(0, 4), ['To', '+18005551213']];
    expect(verifyTwilioSignature({ url: VECTOR_URL, params: changed, authToken: '12345', signature })).toBe(
      false,
    );
    expect(
      verifyTwilioSignature({ url: VECTOR_URL, params: VECTOR_FIELDS, authToken: '12345', signature: '' }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({
        url: VECTOR_URL,
        params: VECTOR_FIELDS,
        authToken: '12345',
        signature: undefined,
      }),
    ).toBe(false);
  });

  it('accepts the URL with and without the explicit default port, but not another port', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    const signedWithPort = computeTwilioSignature(withPort, VECTOR_FIELDS, '12345');
    expect(signedWithPort).not.toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    const verify = (url: string, signature: string): boolean =>
      verifyTwilioSignature({ url, params: VECTOR_FIELDS, authToken: '12345', signature });
    expect(verify(VECTOR_URL, signedWithPort)).toBe(true);
    expect(verify(withPort, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
    const otherPort = computeTwilioSignature(
      'https://mycompany.com:8443/myapp.php?foo=1&bar=2',
      VECTOR_FIELDS,
      '12345',
    );
    expect(verify(VECTOR_URL, otherPort)).toBe(false);
    const httpSigned = computeTwilioSignature('http://example.org:80/hook', [], 'k');
    expect(
      verifyTwilioSignature({
        url: 'http://example.org/hook',
        params: [],
        authToken: 'k',
        signature: httpSigned,
      }),
    ).toBe(true);
  });

  it('lets every value of a repeated name count, whatever their order', () => {
    const a = computeTwilioSignature(
      'https://x.test/',
      [
        ['MediaUrl', 'b'],
        ['MediaUrl', 'a'],
        ['Body', 'hi'],
      ],
      't',
    );
    const b = computeTwilioSignature('https://x.test/', { Body: 'hi', MediaUrl: ['a', 'b'] }, 't');
    const onlyOne = computeTwilioSignature('https://x.test/', { Body: 'hi', MediaUrl: 'a' }, 't');
    expect(a).toBe(b);
    expect(a).not.toBe(onlyOne);
  });
});

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-auth-token';
const twiml = { status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response></Response>' };

describe('fake Twilio: inbound webhooks and media', () => {
  let fake: FakeTwilio;
  let hook: HttpStub;
  let now: number;

  beforeEach(async () => {
    now = 1_700_000_000_000;
    fake = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN, clock: () => now });
    hook = await startHttpStub(() => twiml);
  });
  afterEach(async () => {
    await fake.close();
    await hook.close();
  });

  async function inboundWithPng(): Promise<{ mediaUrl: string; png: Buffer; request: StubRequest }> {
    const png = await samplePng();
    const result = await fake.sendInbound({
      webhookUrl: hook.url('/webhooks/sms/ch1'),
      from: '+15551230000',
      to: '+15559870000',
      body: 'see photo',
      media: [{ bytes: png, contentType: 'image/png' }],
    });
    expect(result.response.status).toBe(200);
    const request = await hook.waitFor();
    return { mediaUrl: result.mediaUrls[0] ?? '', png, request };
  }

  it('posts a signed form like Twilio, with media URLs on its own API path', async () => {
    const { mediaUrl, request } = await inboundWithPng();
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(hasValidTwilioSignature(request, hook.url('/webhooks/sms/ch1'), TOKEN)).toBe(true);
    expect(hasValidTwilioSignature(request, hook.url('/webhooks/sms/ch1'), 'other')).toBe(false);
    expect(formField(request, 'MessageSid')).toMatch(/^MM[0-9a-f]{32}$/);
    expect(formField(request, 'NumMedia')).toBe('1');
    expect(formField(request, 'MediaContentType0')).toBe('image/png');
    expect(formField(request, 'MediaUrl0')).toBe(mediaUrl);
    expect(new URL(mediaUrl).pathname).toMatch(
      new RegExp(`^/2010-04-01/Accounts/${ACCOUNT}/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$`),
    );
    expect(formField(request, 'AccountSid')).toBe(ACCOUNT);
  });

  it('sends an SM sid without media, and a forged signature when asked', async () => {
    await fake.sendInbound({
      webhookUrl: hook.url('/in'),
      from: '+15551230000',
      to: '+15559870000',
      body: 'hello',
      signing: { authToken: 'stolen' },
    });
    const request = await hook.waitFor();
    expect(formField(request, 'MessageSid')).toMatch(/^SM/);
    expect(formField(request, 'NumMedia')).toBe('0');
    expect(hasValidTwilioSignature(request, hook.url('/in'), TOKEN)).toBe(false);
  });

  it('requires Basic auth for media and redirects to an unauthenticated CDN path', async () => {
    const { mediaUrl, png } = await inboundWithPng();
    const anonymous = await fetch(mediaUrl, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(twilioErrorSchema.parse(await anonymous.json())).toMatchObject({ code: 20003, status: 401 });

    const first = await fetch(mediaUrl, {
      redirect: 'manual',
      headers: { authorization: basicAuthHeader(ACCOUNT, TOKEN) },
    });
    expect(first.status).toBe(302);
    const location = first.headers.get('location') ?? '';
    expect(new URL(location).pathname).toMatch(/^\/cdn\//);
    const cdn = await fetch(location);
    expect(cdn.status).toBe(200);
    expect(cdn.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await cdn.arrayBuffer()).equals(png)).toBe(true);
    expect(fake.cdnSawAuthorization()).toBe(false);

    // A client that lets fetch follow the same-origin redirect leaks the credentials; the fake notices.
    await fetch(mediaUrl, { headers: { authorization: basicAuthHeader(ACCOUNT, TOKEN) } });
    expect(fake.cdnSawAuthorization()).toBe(true);
  });

  it('expires CDN targets after their lifetime', async () => {
    const { mediaUrl } = await inboundWithPng();
    const first = await fetch(mediaUrl, {
      redirect: 'manual',
      headers: { authorization: basicAuthHeader(ACCOUNT, TOKEN) },
    });
    const location = first.headers.get('location') ?? '';
    now += 4 * 60 * 60 * 1000 + 1;
    const late = await fetch(location);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('AccessDenied');
  });

  it('injects 404, 500, a redirect loop, a slow drip and an overlong body', async () => {
    const { mediaUrl, png } = await inboundWithPng();
    const auth = { authorization: basicAuthHeader(ACCOUNT, TOKEN) };
    fake.controls.failNextMediaRequest('not-found');
    expect((await fetch(mediaUrl, { headers: auth, redirect: 'manual' })).status).toBe(404);
    fake.controls.failNextMediaRequest('server-error');
    expect((await fetch(mediaUrl, { headers: auth, redirect: 'manual' })).status).toBe(500);
    expect((await fetch(mediaUrl, { headers: auth, redirect: 'manual' })).status).toBe(302);

    fake.controls.failNextMediaRequest('redirect-loop');
    await expect(fetch(mediaUrl, { headers: auth })).rejects.toThrow();

    fake.controls.failNextMediaRequest('slow-drip');
    const dripLocation =
      (await fetch(mediaUrl, { headers: auth, redirect: 'manual' })).headers.get('location') ?? '';
    const dripping = await fetch(dripLocation, { signal: AbortSignal.timeout(300) });
    expect(dripping.headers.get('content-length')).toBe(String(png.length));
    await expect(dripping.arrayBuffer()).rejects.toThrow();

    fake.controls.failNextMediaRequest('overlong-body');
    const longLocation =
      (await fetch(mediaUrl, { headers: auth, redirect: 'manual' })).headers.get('location') ?? '';
    const overlong = await fetch(longLocation);
    const declared = Number(overlong.headers.get('content-length'));
    expect(declared).toBeLessThan(png.length);
    const received = Buffer.from(await overlong.arrayBuffer());
    expect(received.equals(png)).toBe(false);
  });
});
