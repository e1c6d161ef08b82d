// The WhatsApp simulator inside the app: the starter channel, the customer page's API (a
// simulated customer writes through the in-app Graph API and sees the agent's replies with
// their ticks), and the page itself in Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel, Message, Ticket } from '../../src/shared/api-schemas.js';
import { ensureAccount } from '../../src/server/bootstrap.js';
import { whatsappAdapter } from '../../src/server/channels/whatsapp/whatsapp-adapter.js';
import { createWhatsAppStarterChannel } from '../../src/server/channels/whatsapp/whatsapp-starter.js';
import { simulatorRoutes } from '../../src/server/simulators/simulator-routes.js';
import { whatsappSimulatorRoutes } from '../../src/server/simulators/whatsapp/whatsapp-simulator-routes.js';
import { whatsappSimulator } from '../../src/server/simulators/whatsapp/whatsapp-simulator.js';
import { makeVoiceNote } from './real-media.js';
import { hasChromium, launchBrowser, screenshotPath } from '../support/browser.js';
import { signIn, type Client } from '../support/client.js';
import { buildAccount, createHarness, type Harness, type TestAccount } from '../support/harness.js';
import { jpeg } from '../support/images.js';
import { until } from './setup.js';

let h: Harness;
let pageRoot: string;
let account: TestAccount;
let agent: Client;
let channel: Channel;

interface ChatMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  text: string;
  status: string;
  error: string | null;
  media: Array<{ kind: string; url: string | null; contentType: string; size: number; voice: boolean }>;
}

beforeAll(async () => {
  pageRoot = await mkdtemp(join(tmpdir(), 'switchboard-simulator-page-'));
  await build({
    configFile: join(process.cwd(), 'vite.simulator.config.ts'),
    logLevel: 'silent',
    build: { outDir: pageRoot, emptyOutDir: true, sourcemap: false },
  });
  h = await createHarness({
    adapters: [whatsappAdapter],
    extraRoutes: [simulatorRoutes({ pageRoot }), whatsappSimulatorRoutes],
  });
  account = await buildAccount(h);
  agent = await signIn(h, account.admin.email, account.admin.password);
  await createWhatsAppStarterChannel(h.deps, account.accountId);
  channel = (await agent.request<{ channels: Channel[] }>('GET', '/api/channels')).body.channels[0]!;
}, 120_000);
afterAll(async () => {
  await h.close();
  await rm(pageRoot, { recursive: true, force: true });
});

const base = () => `/api/simulator/whatsapp/${channel.id}`;

async function write(
  waId: string,
  text: string,
  files: Array<{ bytes: Buffer; type: string; name: string }> = [],
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('text', text);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append('media', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${h.url}${base()}/customers/${waId}/messages`, {
    method: 'POST',
    headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrf! },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { messages: ChatMessage[] } };
}

const chat = async (waId: string): Promise<ChatMessage[]> =>
  (await agent.request<{ messages: ChatMessage[] }>('GET', `${base()}/customers/${waId}/messages`)).body
    .messages;

async function ticketOf(waId: string): Promise<Ticket> {
  return until(
    async () => (await agent.request<{ tickets: Ticket[] }>('GET', `/api/tickets?q=${waId}`)).body.tickets[0],
    'the ticket',
  );
}

describe('the starter WhatsApp channel', () => {
  it('is created in simulator mode on first start, with secrets kept apart, and not when simulators are off', async () => {
    const fresh = await createHarness({ adapters: [whatsappAdapter] });
    const off = await createHarness({ adapters: [whatsappAdapter], env: { SIMULATORS: '0' } });
    try {
      await ensureAccount(fresh.deps, [createWhatsAppStarterChannel]);
      const rows = await fresh.deps.db.selectFrom('channels').selectAll().execute();
      expect(rows).toMatchObject([{ kind: 'whatsapp', simulator: 1 }]);
      expect(JSON.parse(rows[0]!.config)).toEqual({ phoneNumberId: expect.stringMatching(/^\d{15}$/) });
      expect(Object.keys(JSON.parse(rows[0]!.secrets))).toEqual(['accessToken', 'appSecret', 'verifyToken']);
      await ensureAccount(off.deps, [createWhatsAppStarterChannel]);
      expect(await off.deps.db.selectFrom('channels').select('id').execute()).toHaveLength(0);
    } finally {
      await fresh.close();
      await off.close();
    }
  });
});

describe('the WhatsApp simulator API', () => {
  it('runs the Graph API on loopback for the channel', async () => {
    const overview = await agent.request<{ channel: { number: string } }>('GET', base());
    expect(overview.status).toBe(200);
    expect(overview.body.channel.number).toBe('+15550783881');
    expect(h.deps.simulators.running(whatsappSimulator, channel.id)?.baseUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+$/,
    );
  });

  it('lets a customer send a photo and a voice note, and shows the agent’s reply with blue ticks once read', async () => {
    const created = await agent.request<{ id: string; name: string }>('POST', `${base()}/customers`, {
      name: 'Ana Souza',
    });
    expect(created.status).toBe(201);
    const waId = created.body.id;
    const photo = await jpeg(640, 480);
    const sent = await write(waId, 'The vase arrived broken', [
      { bytes: photo, type: 'image/jpeg', name: 'IMG_1.jpg' },
    ]);
    expect(sent.status).toBe(201);
    expect(sent.body.messages).toMatchObject([
      { direction: 'to-helpdesk', text: 'The vase arrived broken', status: 'delivered' },
    ]);
    const voice = await write(
      waId,
      '',
      [{ bytes: (await makeVoiceNote())!, type: 'audio/ogg', name: 'note.ogg' }],
      {
        voice: '1',
      },
    );
    expect(voice.body.messages[0]!.media[0]).toMatchObject({ kind: 'audio', voice: true });

    const ticket = await ticketOf(waId);
    const inbox = await until(async () => {
      await h.deps.queue.idle();
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      const list = [...page.body.messages].reverse();
      return list.length === 2 && list.every((m) => m.attachments[0]?.state === 'ready') ? list : undefined;
    }, 'both messages in the inbox');
    expect(inbox[0]).toMatchObject({ text: 'The vase arrived broken', author: { name: 'Ana Souza' } });
    expect(inbox[0]!.attachments[0]).toMatchObject({
      contentType: 'image/jpeg',
      width: 640,
      size: photo.length,
    });
    expect(inbox[1]!.meta).toMatchObject({ voiceNote: true });

    const upload = await agent.upload<{ attachments: Attachment[] }>([
      { name: 'label.jpg', bytes: await jpeg(300, 200) },
      { name: 'guide.jpg', bytes: await jpeg(200, 300) },
    ]);
    const reply = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'So sorry! Here is a return label.',
      attachmentIds: upload.body.attachments.map((a) => a.id),
    });
    const replies = await until(async () => {
      const list = (await chat(waId)).filter((m) => m.direction === 'to-customer');
      return list.length === 2 && list.every((m) => m.status === 'delivered') ? list : undefined;
    }, 'the replies on the phone');
    expect(replies.map((m) => [m.text, m.media[0]?.kind])).toEqual([
      ['So sorry! Here is a return label.', 'image'],
      ['', 'image'],
    ]);
    const bytes = await agent.request('GET', replies[0]!.media[0]!.url!);
    expect(bytes.headers.get('content-type')).toBe('image/jpeg');
    expect(
      (await agent.request<{ read: number }>('POST', `${base()}/customers/${waId}/read`, {})).body.read,
    ).toBe(2);
    await until(async () => {
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      return page.body.messages.find((m) => m.id === reply.body.id)?.status === 'read';
    }, 'the reply read in the inbox');
  });

  it('explains a reply after the customer let the 24-hour window lapse', async () => {
    const waId = (await agent.request<{ id: string }>('POST', `${base()}/customers`, {})).body.id;
    await write(waId, 'hello');
    const ticket = await ticketOf(waId);
    expect(
      (await agent.request('POST', `${base()}/customers/${waId}/window`, { state: 'closed' })).status,
    ).toBe(200);
    const reply = await agent.request<Message>('POST', `/api/tickets/${ticket.id}/messages`, {
      text: 'Anyone there?',
    });
    const failed = await until(async () => {
      const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
      const message = page.body.messages.find((m) => m.id === reply.body.id);
      return message?.status === 'failed' ? message : undefined;
    }, 'the reply to fail');
    expect(failed.errorMessage).toContain('only templates can be sent');
    const onPhone = await until(
      async () => (await chat(waId)).find((m) => m.direction === 'to-customer' && m.status === 'failed'),
      'the failure on the phone',
    );
    expect(onPhone.error).toContain('only templates');
  });

  it('sends a location and an unsupported message, and refuses empty messages and strangers', async () => {
    const waId = (await agent.request<{ id: string }>('POST', `${base()}/customers`, {})).body.id;
    expect((await write(waId, '', [], { special: 'location' })).status).toBe(201);
    expect((await write(waId, '', [], { special: 'unsupported' })).status).toBe(201);
    expect((await write(waId, '   ')).status).toBe(400);
    const ticket = await ticketOf(waId);
    const page = await agent.request<{ messages: Message[] }>('GET', `/api/tickets/${ticket.id}/messages`);
    const [location, unsupported] = [...page.body.messages].reverse();
    expect(location!.meta).toMatchObject({ cards: [{ kind: 'location', title: 'Pickup point' }] });
    expect(unsupported!.meta).toMatchObject({ unsupported: { kind: 'unsupported' } });
    const other = await buildAccount(h, 'Other');
    const stranger = await signIn(h, other.admin.email, other.admin.password);
    expect((await stranger.request('GET', base())).status).toBe(404);
    expect((await fetch(`${h.url}${base()}`)).status).toBe(401);
  });
});

describe.skipIf(!hasChromium())('the WhatsApp customer page', () => {
  it('plays a customer in a WhatsApp chat: sends a photo and sees the reply with its picture and ticks', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`${h.url}/simulator?channel=${channel.id}`);
      await page.fill('input[name=email]', account.admin.email);
      await page.fill('input[name=password]', account.admin.password);
      await page.click('button[type=submit]');
      await page.click('text=New WhatsApp customer');
      await page.waitForSelector('.customer.active');
      const waId = new URL(page.url()).searchParams.get('customer')!;
      await page.fill('.composer textarea', 'Hi! The vase in my order arrived broken');
      await page.setInputFiles('.composer input[type=file]', {
        name: 'IMG_2041.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(900, 675),
      });
      await page.waitForSelector('.tray .chip img');
      await page.click('.composer .send');
      await page.waitForSelector('.row.mine .media img');
      await page.waitForSelector('.row.mine .ticks:has-text("✓✓")');

      const ticket = await ticketOf(waId);
      const upload = await agent.upload<{ attachments: Attachment[] }>([
        { name: 'return-label.jpg', bytes: await jpeg(600, 800) },
      ]);
      await agent.request('POST', `/api/tickets/${ticket.id}/messages`, {
        text: "I'm sorry! Print this label and we'll send a new vase today.",
        attachmentIds: [upload.body.attachments[0]!.id],
      });
      await page.waitForSelector('.row.theirs .media img', { timeout: 20_000 });
      await page.waitForSelector('.row.theirs .receipt:has-text("Read")', { timeout: 20_000 });
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.thread img')].every((img) => (img as HTMLImageElement).complete),
      );
      const texts = await page.locator('.row .bubble .text').allTextContents();
      expect(texts).toEqual([
        'Hi! The vase in my order arrived broken',
        "I'm sorry! Print this label and we'll send a new vase today.",
      ]);
      await page.screenshot({ path: screenshotPath('whatsapp-simulator-chat') });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
