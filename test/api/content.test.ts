import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, testOnS3, testRedisUrl, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';

let h: Harness;
let agent: Client;
let photo: Buffer;
let image: Attachment;

beforeAll(async () => {
  h = await createHarness();
  const account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  photo = await jpeg(900, 600);
  image = (await agent.upload<{ attachments: Attachment[] }>([{ name: 'Fotografia ção.jpg', bytes: photo }]))
    .body.attachments[0]!;
  await h.deps.queue.idle();
});
afterAll(() => h.close());

describe('GET /api/attachments/:id/content', () => {
  it('serves the bytes with nosniff, a sandbox CSP and an inline disposition for images', async () => {
    const response = await agent.request('GET', `/api/attachments/${image.id}/content`);
    expect(response.status).toBe(200);
    expect(response.raw.equals(photo)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="Fotografia cao.jpg"; filename*=UTF-8''Fotografia%20%C3%A7%C3%A3o.jpg`,
    );
  });

  it('answers a byte range with 206 and Content-Range', async () => {
    const response = await agent.request('GET', `/api/attachments/${image.id}/content`, undefined, {
      range: 'bytes=100-199',
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 100-199/${photo.length}`);
    expect(response.raw.equals(photo.subarray(100, 200))).toBe(true);
    const suffix = await agent.request('GET', `/api/attachments/${image.id}/content`, undefined, {
      range: 'bytes=-10',
    });
    expect(suffix.raw.equals(photo.subarray(photo.length - 10))).toBe(true);
    const outside = await agent.request('GET', `/api/attachments/${image.id}/content`, undefined, {
      range: `bytes=${photo.length + 5}-`,
    });
    expect(outside.status).toBe(416);
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await agent.request('GET', `/api/attachments/${image.id}/content`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await agent.request('GET', `/api/attachments/${image.id}/content`, undefined, {
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await agent.request('HEAD', `/api/attachments/${image.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(photo.length));
    expect(response.raw.length).toBe(0);
  });

  it('never serves active content inline', async () => {
    const files = [
      { name: 'page.html', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
      {
        name: 'logo.svg',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
      },
    ];
    const uploaded = (await agent.upload<{ attachments: Attachment[] }>(files)).body.attachments;
    expect(uploaded.map((a) => a.contentType)).toEqual(['text/html', 'image/svg+xml']);
    for (const attachment of uploaded) {
      const response = await agent.request('GET', `/api/attachments/${attachment.id}/content`);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(response.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('forces a download with ?download=1', async () => {
    const response = await agent.request('GET', `/api/attachments/${image.id}/content?download=1`);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });
});

describe('signed media links', () => {
  it('serve HEAD and GET with the exact type until they expire, and refuse a forged signature', async () => {
    const { signedMediaUrl } = await import('../../src/server/channels/adapter-deps.js');
    const url = signedMediaUrl(h.deps, image.id, 'original', image.name);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/jpeg');
    expect(head.headers.get('content-disposition')).toMatch(/^inline; filename="Fotografia cao.jpg"/);
    const get = await fetch(url);
    expect(Buffer.from(await get.arrayBuffer()).equals(photo)).toBe(true);
    const segments = new URL(url).pathname.split('/');
    segments[5] = 'x'.repeat(segments[5]!.length);
    const forged = `${h.url}${segments.join('/')}`;
    expect((await fetch(forged)).status).toBe(403);
    const expired = signedMediaUrl(
      { ...h.deps, now: () => Date.now() - 2 * 3600_000 },
      image.id,
      'original',
      image.name,
    );
    expect((await fetch(expired)).status).toBe(410);
  });
});

describe('operations endpoints', () => {
  it('reports health, readiness per engine and Prometheus metrics', async () => {
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = (await (await fetch(`${h.url}/readyz`)).json()) as {
      status: string;
      engines: Record<string, { ok: boolean; kind: string }>;
    };
    expect(ready.status).toBe('ready');
    expect(Object.keys(ready.engines)).toEqual(['database', 'blobs', 'jobs', 'realtime']);
    expect(ready.engines.realtime).toEqual({ kind: h.deps.redis ? 'redis' : 'memory', ok: true });
    expect(ready.engines.jobs).toEqual({ kind: testRedisUrl() ? 'redis' : 'database', ok: true });
    expect(ready.engines.blobs).toEqual({ kind: testOnS3() ? 's3' : 'local', ok: true });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('switchboard_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/switchboard_jobs\{state="done"\} \d+/);
  });

  it('says which engine is down without telling the public why', async () => {
    const ping = h.deps.blobs.ping;
    h.deps.blobs.ping = async () => {
      throw new Error('EACCES: permission denied, mkdir /srv/secret-volume/blobs');
    };
    try {
      const response = await fetch(`${h.url}/readyz`);
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({
        status: 'not_ready',
        engines: { blobs: { kind: h.deps.blobs.kind, ok: false }, database: { ok: true } },
      });
      expect(body).not.toContain('secret-volume');
    } finally {
      h.deps.blobs.ping = ping;
    }
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });

  it('serves the OpenAPI description generated from the route schemas', async () => {
    const spec = (await (await fetch(`${h.url}/api/docs/json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/session',
      '/api/tickets',
      '/api/tickets/{id}/messages',
      '/api/uploads',
      '/api/attachments/{id}/content',
      '/api/contacts',
      '/api/attachments/{id}/pii-scan',
      '/api/attachments/{id}/redact',
      '/api/attachments/{id}',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    // The redaction contract is described with its request and response shapes.
    expect(JSON.stringify(spec.paths['/api/attachments/{id}/pii-scan'])).toContain('"pending"');
    expect(JSON.stringify(spec.paths['/api/attachments/{id}/redact'])).toContain('"replace"');
    expect(JSON.stringify(spec.paths['/api/attachments/{id}'])).toContain('"removal"');
    const ui = await fetch(`${h.url}/api/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
  });
});
