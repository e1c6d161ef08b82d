import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGraphError, graphErrorSchema } from '../src/server/channels/meta/graph-error.js';
import { computeHubSignature, verifyHubSignature } from '../src/server/channels/meta/hub-signature.js';
import { bearer, hasValidHubSignature, metaEndpoint, startFakeGraph } from './fakes/graph.js';
import type { FakeGraph } from './fakes/graph.js';
import { startHttpStub } from './fakes/http-stub.js';
import type { HttpStub } from './fakes/http-stub.js';

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('The quick brown fox jumps over the lazy dog');

  it('is sha256= and the hex HMAC of the raw bytes', () => {
    expect(computeHubSignature(body, 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('verifies the exact bytes only, with the right secret', () => {
    const header = computeHubSignature(body, 'app-secret');
    expect(verifyHubSignature(body, header, 'app-secret')).toBe(true);
    expect(verifyHubSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), 'app-secret')).toBe(
      true,
    );
    expect(verifyHubSignature(body, header, 'other-secret')).toBe(false);
    expect(verifyHubSignature(Buffer.concat([body, Buffer.from(' ')]), header, 'app-secret')).toBe(false);
    expect(verifyHubSignature(body, header.slice('sha256='.length), 'app-secret')).toBe(false);
    expect(verifyHubSignature(body, header.slice(0, -2), 'app-secret')).toBe(false);
    expect(verifyHubSignature(body, undefined, 'app-secret')).toBe(false);
    const sha1 = `sha1=${createHmac('sha1', 'app-secret').update(body).digest('hex')}`;
    expect(verifyHubSignature(body, sha1, 'app-secret')).toBe(false);
  });
});

describe('Graph error body', () => {
  it('builds the documented shape and parses with the schema', () => {
    const built = buildGraphError({
      message: '(#131047) Re-engagement message',
      code: 131047,
      subcode: 2494010,
      details: 'More than 24 hours have passed.',
      messagingProduct: 'whatsapp',
    });
    const parsed = graphErrorSchema.parse(built);
    expect(parsed.error).toMatchObject({
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      code: 131047,
      error_subcode: 2494010,
      error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed.' },
    });
    expect(parsed.error.fbtrace_id).toMatch(/^[\w-]{8,}$/);
    expect(graphErrorSchema.safeParse({ error: { message: 'x' } }).success).toBe(false);
  });
});

describe('fake Graph: shared behaviour', () => {
  const secret = 'graph-app-secret';
  const token = 'EAAG-simulated-token';
  let graph: FakeGraph;
  let hook: HttpStub;

  beforeEach(async () => {
    hook = await startHttpStub(metaEndpoint('verify-me'));
    graph = await startFakeGraph({ appSecret: secret, accessToken: token });
  });
  afterEach(async () => {
    await graph.close();
    await hook.close();
  });

  it('makes the verification GET and reports the answer', async () => {
    const good = await graph.verifyWebhook(hook.url('/webhooks/whatsapp/1'), 'verify-me', '1158201444');
    expect(good).toEqual({ status: 200, body: '1158201444', challenge: '1158201444' });
    const request = hook.received[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toContain('hub.mode=subscribe');
    const bad = await graph.verifyWebhook(hook.url('/webhooks/whatsapp/1'), 'wrong');
    expect(bad.status).toBe(403);
  });

  it('signs the exact bytes it sends, written the way Meta writes JSON', async () => {
    const envelope = { object: 'whatsapp_business_account', note: 'Zoë sent https://example.com/a' };
    const delivery = await graph.deliverWhatsApp(hook.url('/wa'), envelope);
    expect(delivery.response?.status).toBe(200);
    const request = await hook.waitFor();
    expect(hasValidHubSignature(request, secret)).toBe(true);
    expect(request.body.toString()).toContain('Zo\\u00eb sent https:\\/\\/example.com\\/a');
    // Re-serialising the parsed body gives other bytes, whose signature does not match.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(request.body.toString())));
    expect(verifyHubSignature(reserialised, String(request.headers['x-hub-signature-256']), secret)).toBe(
      false,
    );
  });

  it('can forge, omit or tamper with the signature', async () => {
    await graph.deliverInstagram(hook.url('/ig'), { object: 'instagram' }, { appSecret: 'stolen' });
    await graph.deliverInstagram(hook.url('/ig'), { object: 'instagram' }, { omitSignature: true });
    await graph.deliverInstagram(hook.url('/ig'), { object: 'instagram' }, { tamper: true });
    const [forged, unsigned, tampered] = await hook.waitForCount(3);
    expect(forged && hasValidHubSignature(forged, secret)).toBe(false);
    expect(unsigned?.headers['x-hub-signature-256']).toBeUndefined();
    expect(tampered && hasValidHubSignature(tampered, secret)).toBe(false);
    expect(JSON.parse(tampered?.body.toString() ?? '')).toEqual({ object: 'instagram' });
    expect(graph.deliveries).toHaveLength(3);
  });

  it('refuses other API versions, unknown objects and bad tokens with Graph errors', async () => {
    const other = await fetch(`${graph.baseUrl}/v19.0/${graph.whatsappAccount.phoneNumberId}/messages`, {
      method: 'POST',
      headers: bearer(token),
    });
    expect(other.status).toBe(400);
    expect(graphErrorSchema.parse(await other.json()).error.code).toBe(2635);

    const unknown = await fetch(`${graph.graphUrl}/123/edge`, { method: 'POST', headers: bearer(token) });
    expect(graphErrorSchema.parse(await unknown.json()).error).toMatchObject({
      code: 100,
      error_subcode: 33,
    });

    const noToken = await fetch(`${graph.graphUrl}/${graph.whatsappAccount.phoneNumberId}/messages`, {
      method: 'POST',
    });
    expect(noToken.status).toBe(400);
    expect(graphErrorSchema.parse(await noToken.json()).error.code).toBe(104);

    const wrong = await fetch(`${graph.graphUrl}/${graph.whatsappAccount.phoneNumberId}/messages`, {
      method: 'POST',
      headers: bearer('not-the-token'),
    });
    expect(wrong.status).toBe(401);
    expect(graphErrorSchema.parse(await wrong.json()).error.code).toBe(190);
  });

  it('answers credential checks on the phone number and the Instagram account', async () => {
    const phone = await fetch(`${graph.graphUrl}/${graph.whatsappAccount.phoneNumberId}`, {
      headers: bearer(token),
    });
    expect(await phone.json()).toMatchObject({
      id: graph.whatsappAccount.phoneNumberId,
      display_phone_number: graph.whatsappAccount.displayPhoneNumber,
    });
    const me = await fetch(`${graph.graphUrl}/me?fields=id,username&access_token=${token}`);
    expect(await me.json()).toMatchObject({ id: graph.igAccountId });
    graph.controls.expireAccessToken();
    const expired = await fetch(`${graph.graphUrl}/me`, { headers: bearer(token) });
    expect(graphErrorSchema.parse(await expired.json()).error).toMatchObject({
      code: 190,
      error_subcode: 463,
    });
  });

  it('records every request it receives', async () => {
    const body = JSON.stringify({ messaging_product: 'whatsapp', to: '15551234567', text: { body: 'hi' } });
    await fetch(`${graph.graphUrl}/${graph.whatsappAccount.phoneNumberId}/messages?x=1`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body,
    });
    const recorded = graph.requests.at(-1);
    expect(recorded).toMatchObject({
      method: 'POST',
      pathname: `/v21.0/${graph.whatsappAccount.phoneNumberId}/messages`,
      path: `/v21.0/${graph.whatsappAccount.phoneNumberId}/messages?x=1`,
    });
    expect(recorded?.headers.authorization).toBe(`Bearer ${token}`);
    expect(recorded?.body.toString()).toBe(body);
  });
});
