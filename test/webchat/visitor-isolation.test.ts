// A visitor sees their own conversation and nothing else: not another visitor's messages or
// files (by guessed ids, replayed tokens or edited links), not the agents' notes or uploads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Channel } from '../../src/shared/api-schemas.js';
import type { VisitorAttachment } from '../../src/shared/webchat-api.js';
import { signedMediaPath } from '../../src/server/media/signed-url.js';
import { jpeg } from '../support/images.js';
import {
  agentReply,
  createWebchatChannel,
  createWebchatHarness,
  openVisitorSocket,
  tinyPdf,
  visitorClient,
  type VisitorClient,
  type WebchatSetup,
} from './support.js';

let s: WebchatSetup;
let alice: VisitorClient;
let bob: VisitorClient;
let bobImage: VisitorAttachment;
let bobPdf: VisitorAttachment;
let bobMessageId: string;
let bobTicketId: string;
let replyToBobId: string;
let otherChannel: Channel;

beforeAll(async () => {
  s = await createWebchatHarness();
  otherChannel = await createWebchatChannel(s.agent);
  alice = visitorClient(s.h, s.channel.id);
  bob = visitorClient(s.h, s.channel.id);
  await alice.start({ name: 'Alice' });
  await bob.start({ name: 'Bob' });
  await alice.send('Alice here');
  const uploaded = await bob.upload([
    { name: 'passport.jpg', bytes: await jpeg(400, 300), type: 'image/jpeg' },
    { name: 'bank-statement.pdf', bytes: tinyPdf('IBAN'), type: 'application/pdf' },
  ]);
  [bobImage, bobPdf] = uploaded.body.attachments as [VisitorAttachment, VisitorAttachment];
  const sent = await bob.send('Bob private', [bobImage.id, bobPdf.id]);
  bobMessageId = sent.body.id;
  const ticket = await s.h.deps.db
    .selectFrom('messages')
    .select('ticketId')
    .where('id', '=', bobMessageId)
    .executeTakeFirstOrThrow();
  bobTicketId = ticket.ticketId;
  replyToBobId = (await agentReply(s.agent, bobTicketId, 'Reply for Bob only')).id;
  await s.h.deps.queue.idle();
});
afterAll(() => s.h.close());

describe('visitor isolation', () => {
  it("lists only the visitor's own conversation", async () => {
    const page = await alice.messages();
    expect(page.messages.map((message) => message.text)).toEqual(['Alice here']);
    const bobs = await bob.messages();
    expect(bobs.messages.map((message) => message.text)).toEqual(['Bob private', 'Reply for Bob only']);
  });

  it("cannot fetch another visitor's attachment by id", async () => {
    for (const id of [bobImage.id, bobPdf.id]) {
      const response = await alice.request('GET', `attachments/${id}`);
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('/media/');
    }
    expect((await bob.request('GET', `attachments/${bobImage.id}`)).status).toBe(200);
  });

  it("cannot send another visitor's uploads as their own", async () => {
    const stranger = visitorClient(s.h, s.channel.id);
    await stranger.start();
    const spare = await bob.upload([{ name: 'unsent.jpg', bytes: await jpeg(64, 64), type: 'image/jpeg' }]);
    const spareId = spare.body.attachments[0]!.id;
    expect((await alice.request('GET', `attachments/${spareId}`)).status).toBe(404);
    const stolen = await alice.send('look', [spareId]);
    expect(stolen.status).toBe(400);
    const bound = await s.h.deps.db
      .selectFrom('attachments')
      .select('messageId')
      .where('id', '=', spareId)
      .executeTakeFirstOrThrow();
    expect(bound.messageId).toBeNull();
  });

  it("cannot see an agent's unsent upload or internal note", async () => {
    const upload = await s.agent.upload<{ attachments: Attachment[] }>([
      { name: 'internal.jpg', bytes: await jpeg(64, 64), type: 'image/jpeg' },
    ]);
    const id = upload.body.attachments[0]!.id;
    expect((await bob.request('GET', `attachments/${id}`)).status).toBe(404);
    expect((await bob.send('mine now', [id])).status).toBe(400);
    const note = await agentReply(
      s.agent,
      bobTicketId,
      'Bob looks suspicious',
      [{ name: 'note.jpg', bytes: await jpeg(80, 80), type: 'image/jpeg' }],
      true,
    );
    expect((await bob.request('GET', `attachments/${note.attachments[0]!.id}`)).status).toBe(404);
    expect((await bob.messages()).messages.map((message) => message.text)).not.toContain(
      'Bob looks suspicious',
    );
  });

  it("cannot mark another visitor's messages read", async () => {
    const response = await alice.request('POST', 'read', { messageId: replyToBobId });
    expect(response.status).toBe(404);
  });

  it('cannot reuse a token on another channel, or a forged one', async () => {
    const replay = visitorClient(s.h, otherChannel.id);
    replay.token = bob.token;
    expect((await replay.request('GET', 'messages')).status).toBe(401);
    expect((await replay.request('GET', `attachments/${bobImage.id}`)).status).toBe(401);
    const forged = visitorClient(s.h, s.channel.id);
    forged.token = `${bob.token!.slice(0, -2)}xx`;
    expect((await forged.request('GET', 'messages')).status).toBe(401);
  });

  it("does not hand a visitor's message to another who reuses its idempotency key", async () => {
    const clientId = 'shared-client-id-0001';
    const first = await bob.send('Bob keyed', [], clientId);
    const second = await alice.send('Alice keyed', [], clientId);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.text).toBe('Alice keyed');
  });

  it('refuses media links that were edited or have expired', async () => {
    const own = await bob.request<VisitorAttachment>('GET', `attachments/${bobImage.id}`);
    const url = own.body.url!;
    expect((await fetch(url)).status).toBe(200);
    // Pointing Bob's signed link at another attachment breaks the signature.
    const aliceUpload = await alice.upload([
      { name: 'a.jpg', bytes: await jpeg(50, 50), type: 'image/jpeg' },
    ]);
    const swapped = url.replace(bobImage.id, aliceUpload.body.attachments[0]!.id);
    expect((await fetch(swapped)).status).toBe(403);
    const expired = signedMediaPath(
      s.h.deps.secrets.urlSigningKey,
      { attachmentId: bobImage.id, variant: 'original', expiresAt: Math.floor(Date.now() / 1000) - 60 },
      'passport.jpg',
    );
    expect((await fetch(`${s.h.url}${expired}`)).status).toBe(410);
  });

  it("keeps another visitor's events off the socket", async () => {
    const page = await alice.messages();
    const socket = await openVisitorSocket(s.h, alice, { since: page.lastEventId });
    await socket.waitFor((frame) => frame.type === 'hello');
    await bob.send('Bob again');
    const toBob = await agentReply(s.agent, bobTicketId, 'Second reply for Bob');
    await alice.send('Alice again');
    await socket.waitFor(
      (frame) => 'data' in frame && 'message' in frame.data && frame.data.message.text === 'Alice again',
    );
    await s.h.deps.queue.idle();
    const seen = JSON.stringify(socket.frames);
    expect(seen).not.toContain('Bob again');
    expect(seen).not.toContain(toBob.id);
    expect(seen).not.toContain(bobTicketId);
    socket.close();

    // Replaying from the very start shows Alice her own history only.
    const replay = await openVisitorSocket(s.h, alice, { since: 0 });
    await replay.waitFor(
      (frame) => 'data' in frame && 'message' in frame.data && frame.data.message.text === 'Alice again',
    );
    const replayed = JSON.stringify(replay.frames);
    expect(replayed).toContain('Alice here');
    expect(replayed).not.toContain('Bob');
    replay.close();
  });
});
