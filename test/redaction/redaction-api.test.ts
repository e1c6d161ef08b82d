// The redaction API on a real server and database: personal-data scans (queued, deduplicated,
// kept per blob across restarts), burned-in copies of drafts, and what admins can do to media
// already in a ticket (redact in place, delete) with tombstones, audit entries, events and
// signed links that stop working. Text recognition is scripted here (the real recogniser is
// exercised in ocr-scan.test.ts and redaction-channels.test.ts).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Message, Ticket } from '../../src/shared/api-schemas.js';
import type { PiiScanResponse } from '../../src/shared/redaction-api.js';
import { signedMediaUrl } from '../../src/server/channels/adapter-deps.js';
import { AppError } from '../../src/server/errors.js';
import { OCR_MAX_PIXELS, toOriginalBox } from '../../src/server/media/pii-scan-job.js';
import type { OcrPool } from '../../src/server/media/redaction/ocr-pool.js';
import type { OcrWord } from '../../src/server/media/redaction/types.js';
import { buildChannel, deliver, startMediaHost, type MediaHost } from '../support/channel.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, buildAgent, createHarness, type Harness } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { createTestAdapter } from '../support/test-adapter.js';

/** A recogniser that "reads" an e-mail address at a fixed place, and can be held or made busy. */
function scriptedOcr() {
  let release: () => void = () => undefined;
  const control = {
    calls: 0,
    /** How many times the pool was closed (by the runtime shutting down). */
    closed: 0,
    /** Size of every image handed to the recogniser. */
    sizes: [] as Array<[number, number]>,
    /** The next recognitions fail as if the pool were saturated. */
    busy: 0,
    gate: null as Promise<void> | null,
    hold() {
      control.gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open() {
      control.gate = null;
      release();
    },
  };
  const words: OcrWord[] = [
    { text: 'Email:', confidence: 95, box: { x: 10, y: 10, width: 50, height: 16 }, line: 0 },
    {
      text: 'maria.silva@example.com',
      confidence: 95,
      box: { x: 70, y: 10, width: 180, height: 16 },
      line: 0,
    },
  ];
  const pool: OcrPool = {
    async recognize(image) {
      control.calls += 1;
      if (control.busy > 0) {
        control.busy -= 1;
        throw new AppError('not_ready', 'Text recognition is busy (32 images waiting); retry in a minute.');
      }
      if (control.gate) await control.gate;
      const meta = await sharp(image).metadata();
      control.sizes.push([meta.autoOrient.width, meta.autoOrient.height]);
      return { words, width: meta.autoOrient.width, height: meta.autoOrient.height };
    },
    stats: () => ({ size: 1, started: 1, busy: 0, queued: 0 }),
    close: async () => {
      control.closed += 1;
    },
  };
  return { pool, control };
}

/** A PNG with a different colour at every pixel, so any change shows. */
async function patternPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = (i * 7) % 251;
    pixels[i * 3 + 1] = (i * 13) % 241;
    pixels[i * 3 + 2] = 40 + ((i * 3) % 200);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function rgb(bytes: Buffer) {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const ocr = scriptedOcr();
let h: Harness;
let media: MediaHost;
let admin: Client;
let agent: Client;
let otherAgent: Client;
let stranger: Client;
let channelId: string;

beforeAll(async () => {
  const test = createTestAdapter('sms');
  h = await createHarness({ adapters: [test.adapter], ocrPool: () => ocr.pool });
  media = await startMediaHost();
  const account = await buildAccount(h, 'Privacy');
  admin = await signIn(h, account.admin.email, account.admin.password);
  const plain = await buildAgent(h, account);
  agent = await signIn(h, plain.email, plain.password);
  const second = await buildAgent(h, account);
  otherAgent = await signIn(h, second.email, second.password);
  const other = await buildAccount(h, 'Elsewhere');
  stranger = await signIn(h, other.admin.email, other.admin.password);
  channelId = (await buildChannel(admin)).id;
});
afterAll(async () => {
  await media.close();
  await h.close();
});

async function upload(client: Client, name: string, bytes: Buffer): Promise<Attachment> {
  const response = await client.upload<{ attachments: Attachment[] }>([{ name, bytes }]);
  expect(response.status).toBe(201);
  return response.body.attachments[0]!;
}

const scan = (client: Client, id: string) =>
  client.request<PiiScanResponse>('POST', `/api/attachments/${id}/pii-scan`);

async function scanUntilDone(client: Client, id: string): Promise<PiiScanResponse> {
  for (let i = 0; i < 100; i++) {
    const response = await scan(client, id);
    expect([200, 202]).toContain(response.status);
    if (response.status === 200) return response.body;
    expect(response.body).toEqual({ status: 'pending', width: null, height: null, findings: [] });
  }
  throw new Error('the scan never finished');
}

async function scanJobs(): Promise<number> {
  const rows = await h.deps.db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', 'media.pii-scan')
    .where('state', 'in', ['queued', 'running'])
    .execute();
  return rows.length;
}

/** An inbound message from a customer carrying one image; returns the ticket and the attachment. */
let inbound = 0;
async function customerSends(
  bytes: Buffer,
  type = 'image/png',
): Promise<{ ticket: Ticket; attachment: Attachment }> {
  inbound += 1;
  const path = `/shot-${inbound}.png`;
  media.files.set(path, { bytes, type });
  const from = `+1555010${String(inbound).padStart(4, '0')}`;
  const response = await deliver(h, { id: channelId, kind: 'sms' }, [
    { id: `in-${inbound}`, from, text: 'see attached', media: [{ url: `${media.url}${path}`, type }] },
  ]);
  expect(response.status).toBe(200);
  await h.deps.queue.idle();
  const tickets = await admin.request<{ tickets: Ticket[] }>(
    'GET',
    `/api/tickets?q=${encodeURIComponent(from)}`,
  );
  const ticket = tickets.body.tickets[0]!;
  const thread = await admin.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
  return { ticket, attachment: thread.body.messages[0]!.attachments[0]! };
}

describe('personal-data scan', () => {
  it('queues one scan per blob, answers pending while it runs, then the findings from the database', async () => {
    ocr.control.hold();
    const first = await upload(agent, 'chat.png', await patternPng(300, 60));
    const callsBefore = ocr.control.calls;
    const pending = await scan(agent, first.id);
    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({ status: 'pending', width: null, height: null, findings: [] });
    // Asking again (or another agent asking) does not queue a second scan of the same bytes.
    expect((await scan(admin, first.id)).status).toBe(202);
    expect(await scanJobs()).toBe(1);

    // More scans than recognition slots wait in the queue instead of failing.
    const others = await Promise.all(
      [1, 2, 3].map(async (n) => upload(agent, `more-${n}.png`, await patternPng(300 + n, 60))),
    );
    for (const other of others) expect((await scan(agent, other.id)).status).toBe(202);
    expect(await scanJobs()).toBe(4);

    ocr.control.open();
    const done = await scanUntilDone(agent, first.id);
    expect(done).toEqual({
      status: 'done',
      width: 300,
      height: 60,
      findings: [
        { kind: 'email', text: 'maria.silva@example.com', box: { x: 70, y: 10, width: 180, height: 16 } },
      ],
    });
    for (const other of others) expect((await scanUntilDone(agent, other.id)).status).toBe('done');
    expect(ocr.control.calls - callsBefore).toBe(4);

    // Kept per account and blob in the database: a restarted server answers at once, without recognising again.
    const stored = await h.deps.db
      .selectFrom('piiScans')
      .select(['accountId', 'status'])
      .where('blobKey', '=', (await blobKeyOf(first.id))!)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('done');
    expect(h.deps.ocr.started()).toBe(true);
    const closed = ocr.control.closed;
    await h.restart();
    // The runtime closed the pool it had started; the new one starts only when a scan needs it.
    expect(ocr.control.closed).toBe(closed + 1);
    const calls = ocr.control.calls;
    const again = await scan(agent, first.id);
    expect(again.status).toBe(200);
    expect(again.body.findings).toHaveLength(1);
    expect(ocr.control.calls).toBe(calls);
    expect(h.deps.ocr.started()).toBe(false);
  });

  it('waits for a busy recogniser by retrying the job, never failing the request', async () => {
    ocr.control.busy = 1;
    const image = await upload(agent, 'busy.png', await patternPng(200, 50));
    const callsBefore = ocr.control.calls;
    const result = await scanUntilDone(agent, image.id);
    expect(result.findings.map((f) => f.kind)).toEqual(['email']);
    expect(ocr.control.calls - callsBefore).toBe(2);
  });

  it('recognises images above 16 megapixels downscaled, and maps the boxes back to the original', async () => {
    const big = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: '#f4f4f4' } })
      .png()
      .toBuffer();
    const image = await upload(agent, 'desktop.png', big);
    const result = await scanUntilDone(agent, image.id);
    const [width, height] = ocr.control.sizes.at(-1)!;
    expect(width * height).toBeLessThanOrEqual(OCR_MAX_PIXELS);
    expect(width).toBeLessThan(5000);
    const scale = width / 5000;
    expect(result).toMatchObject({ status: 'done', width: 5000, height: 4000 });
    // The recogniser saw the address at (70, 10, 180 × 16) of its smaller image.
    expect(result.findings[0]!.box).toEqual(
      toOriginalBox({ x: 70, y: 10, width: 180, height: 16 }, scale, 5000, 4000),
    );
    expect(result.findings[0]!.box.x).toBeGreaterThan(70);
  });

  it('refuses images above 100 megapixels', async () => {
    const image = await upload(agent, 'claims.png', await patternPng(20, 20));
    await h.deps.db
      .updateTable('attachments')
      .set({ width: 20_000, height: 20_000 })
      .where('id', '=', image.id)
      .execute();
    const refused = await scan(agent, image.id);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'image_too_large' } });
    const redact = await agent.request('POST', `/api/attachments/${image.id}/redact`, {
      boxes: [{ x: 0, y: 0, width: 5, height: 5 }],
    });
    expect(redact.status).toBe(422);
  });

  it('refuses what is not an image, and what belongs to another account', async () => {
    const text = await upload(agent, 'notes.txt', Buffer.from('maria.silva@example.com'));
    const refused = await scan(agent, text.id);
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({ error: { code: 'unsupported_media' } });
    const mine = await upload(agent, 'mine.png', await patternPng(80, 40));
    const foreign = await scan(stranger, mine.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await scan(agent, 'no-such-attachment')).status).toBe(404);
  });
});

async function blobKeyOf(id: string): Promise<string | null | undefined> {
  const row = await h.deps.db
    .selectFrom('attachments')
    .select('blobKey')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.blobKey;
}

async function attachmentCount(): Promise<number> {
  return (await h.deps.db.selectFrom('attachments').select('id').execute()).length;
}

describe('redacting a draft', () => {
  it('makes a new attachment with solid boxes and every other pixel unchanged', async () => {
    const bytes = await patternPng(240, 120);
    const original = await upload(agent, 'screen.png', bytes);
    const boxes = [
      { x: 10, y: 20, width: 50, height: 30 },
      { x: 200, y: 100, width: 40, height: 20 },
    ];
    const response = await agent.request<Attachment>('POST', `/api/attachments/${original.id}/redact`, {
      boxes,
    });
    expect(response.status).toBe(201);
    const copy = response.body;
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ redacted: true, removal: null, messageId: null, contentType: 'image/png' });
    expect([copy.width, copy.height]).toEqual([240, 120]);
    await h.deps.queue.idle();

    const content = await agent.request('GET', `/api/attachments/${copy.id}/content`);
    expect(content.status).toBe(200);
    const before = await rgb(bytes);
    const after = await rgb(content.raw);
    const inside = (x: number, y: number) =>
      boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
    let filled = 0;
    let kept = 0;
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 240; x++) {
        const i = (y * 240 + x) * 3;
        const pixel = [after.data[i], after.data[i + 1], after.data[i + 2]];
        if (inside(x, y)) {
          expect(pixel).toEqual([0, 0, 0]);
          filled += 1;
        } else {
          expect(pixel).toEqual([before.data[i], before.data[i + 1], before.data[i + 2]]);
          kept += 1;
        }
      }
    }
    expect(filled).toBe(50 * 30 + 40 * 20);
    expect(kept).toBe(240 * 120 - filled);

    // The original is still there until the agent discards it.
    expect((await agent.request('GET', `/api/attachments/${original.id}/content`)).status).toBe(200);
  });

  it('applies the orientation first, takes boxes in the upright pixels, and strips every piece of metadata', async () => {
    const photo = await jpeg(200, 100, { gps: true, orientation: 6 });
    const tagged = await sharp(photo).metadata();
    expect(tagged.orientation).toBe(6);
    expect(tagged.exif?.includes(Buffer.from('TestCam'))).toBe(true);
    const original = await upload(agent, 'photo.jpg', photo);
    // Upright, the photo is 100 wide and 200 high: a box at y 150 exists only that way up.
    const response = await agent.request<Attachment>('POST', `/api/attachments/${original.id}/redact`, {
      boxes: [{ x: 10, y: 150, width: 80, height: 40 }],
    });
    expect(response.status).toBe(201);
    expect([response.body.width, response.body.height]).toEqual([100, 200]);
    const content = await agent.request('GET', `/api/attachments/${response.body.id}/content`);
    const meta = await sharp(content.raw).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(content.raw.includes(Buffer.from('TestCam'))).toBe(false);
    const { data } = await rgb(content.raw);
    const centre = (170 * 100 + 50) * 3;
    expect(Math.max(data[centre]!, data[centre + 1]!, data[centre + 2]!)).toBeLessThan(8);
  });

  it('refuses boxes outside the image or with negative sizes with 422, and creates nothing', async () => {
    const original = await upload(agent, 'small.png', await patternPng(100, 50));
    const count = await attachmentCount();
    for (const boxes of [
      [{ x: 90, y: 10, width: 20, height: 10 }],
      [
        { x: 0, y: 0, width: 10, height: 10 },
        { x: 0, y: 45, width: 10, height: 10 },
      ],
      [{ x: -5, y: 0, width: 10, height: 10 }],
      [{ x: 0, y: 0, width: -10, height: 10 }],
      [{ x: 0, y: 0, width: 0, height: 10 }],
      [],
    ]) {
      const response = await agent.request('POST', `/api/attachments/${original.id}/redact`, { boxes });
      expect(response.status, JSON.stringify(boxes)).toBe(422);
      expect(response.body).toMatchObject({
        error: { code: 'invalid_boxes', details: { field: expect.stringMatching(/^boxes/) } },
      });
    }
    const outside = await agent.request<{ error: { message: string } }>(
      'POST',
      `/api/attachments/${original.id}/redact`,
      {
        boxes: [
          { x: 0, y: 0, width: 10, height: 10 },
          { x: 0, y: 45, width: 10, height: 10 },
        ],
      },
    );
    expect(outside.body.error.message).toContain('Box 1');
    expect(outside.body.error.message).toContain('100×50');
    expect(await attachmentCount()).toBe(count);
  });

  it('refuses non-images, and other accounts’ attachments', async () => {
    const text = await upload(agent, 'notes.txt', Buffer.from('hello'));
    const box = { boxes: [{ x: 0, y: 0, width: 1, height: 1 }] };
    expect((await agent.request('POST', `/api/attachments/${text.id}/redact`, box)).status).toBe(415);
    const mine = await upload(agent, 'mine.png', await patternPng(30, 30));
    expect((await stranger.request('POST', `/api/attachments/${mine.id}/redact`, box)).status).toBe(404);
    expect((await stranger.request('DELETE', `/api/attachments/${mine.id}`)).status).toBe(404);
  });

  it('lets the uploader (or an admin) discard the draft original, and nobody else', async () => {
    const bytes = await patternPng(64, 64);
    const original = await upload(agent, 'discard-me.png', bytes);
    await h.deps.queue.idle();
    const key = (await blobKeyOf(original.id))!;
    expect((await otherAgent.request('DELETE', `/api/attachments/${original.id}`)).status).toBe(403);
    const discarded = await agent.request('DELETE', `/api/attachments/${original.id}`);
    expect(discarded.status).toBe(204);
    expect((await agent.request('GET', `/api/attachments/${original.id}/content`)).status).toBe(404);
    await h.deps.queue.idle();
    expect(await h.deps.blobs.stat(key)).toBeNull();
  });
});

describe('after the fact (admins)', () => {
  it('redacts an attachment in a ticket in place: old bytes, derivatives and links gone, tombstone, audit, event', async () => {
    const bytes = await patternPng(160, 90);
    const { ticket, attachment } = await customerSends(bytes);
    expect(attachment.state).toBe('ready');
    const oldKey = (await blobKeyOf(attachment.id))!;
    const oldDerivatives = await h.deps.db
      .selectFrom('derivatives')
      .select('blobKey')
      .where('attachmentId', '=', attachment.id)
      .execute();
    expect(oldDerivatives.length).toBeGreaterThan(0);
    const link = signedMediaUrl(h.deps, attachment.id, 'original', 'shot.png');
    const thumbnailLink = signedMediaUrl(h.deps, attachment.id, 'thumbnail', 'shot.webp');
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(thumbnailLink)).status).toBe(200);
    await scanUntilDone(admin, attachment.id);

    const body = { boxes: [{ x: 0, y: 0, width: 40, height: 20 }], replace: true };
    const refused = await agent.request('POST', `/api/attachments/${attachment.id}/redact`, body);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });

    const heard: string[] = [];
    const unsubscribe = await h.deps.pubsub.subscribe(`account:${await accountOf(attachment.id)}`, (m) =>
      heard.push(m),
    );
    const response = await admin.request<Attachment>(
      'POST',
      `/api/attachments/${attachment.id}/redact`,
      body,
    );
    expect(response.status).toBe(200);
    const me = (await admin.request<{ agent: { id: string; name: string } }>('GET', '/api/me')).body.agent;
    expect(response.body).toMatchObject({
      id: attachment.id,
      redacted: true,
      removal: { action: 'redacted', by: { id: me.id, name: me.name }, at: expect.any(Number) },
    });
    await h.deps.queue.idle();
    await unsubscribe();

    // The thread shows the redacted image and who redacted it; its bytes are the redacted ones.
    const thread = await admin.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
    const shown = thread.body.messages[0]!.attachments[0]!;
    expect(shown).toMatchObject({
      id: attachment.id,
      state: 'ready',
      redacted: true,
      removal: { action: 'redacted' },
    });
    const content = await admin.request('GET', `/api/attachments/${attachment.id}/content`);
    const pixels = await rgb(content.raw);
    expect([pixels.data[0], pixels.data[1], pixels.data[2]]).toEqual([0, 0, 0]);

    // Old bytes and derivatives removed from storage; links made before stop working.
    expect(await h.deps.blobs.stat(oldKey)).toBeNull();
    for (const derivative of oldDerivatives) expect(await h.deps.blobs.stat(derivative.blobKey)).toBeNull();
    expect((await fetch(link)).status).toBe(410);
    expect((await fetch(thumbnailLink)).status).toBe(410);
    expect((await fetch(signedMediaUrlFor(attachment.id))).status).toBe(200);
    // What was read in the old bytes is forgotten with them.
    expect(
      await h.deps.db.selectFrom('piiScans').select('blobKey').where('blobKey', '=', oldKey).execute(),
    ).toEqual([]);

    const audit = await h.deps.db
      .selectFrom('auditLog')
      .selectAll()
      .where('subjectId', '=', attachment.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'attachment.redacted',
      actorId: me.id,
      subjectType: 'attachment',
    });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ boxes: 1, messageId: shown.messageId });

    const events = heard.map((m) => JSON.parse(m) as { type: string; data: { attachment?: Attachment } });
    expect(
      events.some(
        (e) => e.type === 'attachment.updated' && e.data.attachment?.removal?.action === 'redacted',
      ),
    ).toBe(true);
    expect(events.some((e) => e.type === 'message.updated')).toBe(true);
  });

  it('deletes an attachment in a ticket: bytes gone unless referenced elsewhere, tombstone, audit, links stop', async () => {
    const bytes = await patternPng(120, 80);
    const { ticket, attachment } = await customerSends(bytes);
    // The same bytes uploaded as a draft: they must survive the deletion of the ticket's copy.
    const twin = await upload(agent, 'twin.png', bytes);
    const key = (await blobKeyOf(attachment.id))!;
    expect(await blobKeyOf(twin.id)).toBe(key);
    const link = signedMediaUrl(h.deps, attachment.id, 'original', 'shot.png');
    expect((await fetch(link)).status).toBe(200);

    expect((await agent.request('DELETE', `/api/attachments/${attachment.id}`)).status).toBe(403);
    const response = await admin.request<Attachment>('DELETE', `/api/attachments/${attachment.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: attachment.id,
      state: 'deleted',
      url: null,
      thumbnailUrl: null,
      removal: { action: 'deleted', by: { name: expect.any(String) } },
    });
    await h.deps.queue.idle();
    expect((await fetch(link)).status).toBe(410);
    expect((await admin.request('GET', `/api/attachments/${attachment.id}/content`)).status).toBe(404);
    expect(await h.deps.blobs.stat(key)).not.toBeNull();
    expect((await agent.request('GET', `/api/attachments/${twin.id}/content`)).status).toBe(200);

    const thread = await admin.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
    expect(thread.body.messages[0]!.attachments[0]).toMatchObject({
      state: 'deleted',
      removal: { action: 'deleted' },
    });
    const audit = await h.deps.db
      .selectFrom('auditLog')
      .selectAll()
      .where('subjectId', '=', attachment.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['attachment.deleted']);

    // Deleting again changes nothing; discarding the last reference removes the bytes.
    expect((await admin.request('DELETE', `/api/attachments/${attachment.id}`)).status).toBe(200);
    expect(
      (await h.deps.db.selectFrom('auditLog').select('id').where('subjectId', '=', attachment.id).execute())
        .length,
    ).toBe(1);
    expect((await agent.request('DELETE', `/api/attachments/${twin.id}`)).status).toBe(204);
    await h.deps.queue.idle();
    expect(await h.deps.blobs.stat(key)).toBeNull();
  });
});

async function accountOf(attachmentId: string): Promise<string> {
  const row = await h.deps.db
    .selectFrom('attachments')
    .select('accountId')
    .where('id', '=', attachmentId)
    .executeTakeFirstOrThrow();
  return row.accountId;
}

/** A link issued now, after the change, at the attachment's current link version. */
function signedMediaUrlFor(attachmentId: string): string {
  return signedMediaUrl(h.deps, attachmentId, 'original', 'shot.png', 300, 1);
}
