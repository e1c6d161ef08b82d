// What a visitor's browser receives for an agent's photo in a format browsers do not show
// (an iPhone HEIC, a scanner's TIFF): a JPEG, named .jpg, opened and downloaded as such, the
// same as the composer's hint promised. Formats browsers show are handed over untouched.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/shared/api-schemas.js';
import type { VisitorSocketFrame } from '../../src/shared/webchat-api.js';
import { heifConvert, heifEnc, makeHeic } from '../support/heic.js';
import { png } from '../support/images.js';
import {
  agentReply,
  createWebchatHarness,
  openVisitorSocket,
  visitorClient,
  type WebchatSetup,
} from './support.js';

let s: WebchatSetup;

beforeAll(async () => {
  s = await createWebchatHarness();
});
afterAll(async () => {
  // Every request of these tests has been answered by now. Under load, a keep-alive socket of
  // the test's own HTTP client was seen to outlive the server's close (which only ends idle
  // ones when it starts), holding the close for the client's keep-alive time: end them all.
  s.h.app.server.closeAllConnections();
  await s.h.close();
});

async function conversation(
  name: string,
): Promise<{ visitor: ReturnType<typeof visitorClient>; ticket: Ticket }> {
  const visitor = visitorClient(s.h, s.channel.id);
  await visitor.start({ name });
  await visitor.send('Could you send me a photo of it?');
  const response = await s.agent.request<{ tickets: Ticket[] }>(
    'GET',
    `/api/tickets?channelId=${s.channel.id}`,
  );
  const ticket = response.body.tickets.find((candidate) => candidate.contact.name === name);
  if (!ticket) throw new Error(`no ticket for ${name}`);
  return { visitor, ticket };
}

describe('agent photos a browser cannot show', () => {
  it.skipIf(!heifEnc || !heifConvert)('reach the visitor as a JPEG, live and in the history', async () => {
    const { visitor, ticket } = await conversation('Hana');
    const socket = await openVisitorSocket(s.h, visitor);
    try {
      const reply = await agentReply(s.agent, ticket.id, 'This is the one', [
        { name: 'IMG_4032.HEIC', bytes: await makeHeic(), type: 'image/heic' },
      ]);
      await s.h.deps.queue.idle();

      const page = await visitor.messages();
      const shown = page.messages.find((message) => message.id === reply.id);
      expect(shown?.status).toBe('delivered');
      const attachment = shown!.attachments[0]!;
      expect(attachment).toMatchObject({ name: 'IMG_4032.jpg', contentType: 'image/jpeg' });

      const opened = await fetch(attachment.url!);
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await opened.arrayBuffer());
      expect(bytes.length).toBe(attachment.size);
      expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
      const download = await fetch(attachment.downloadUrl!);
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="IMG_4032.jpg"/);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

      const delivered = (frame: VisitorSocketFrame) =>
        'data' in frame &&
        'message' in frame.data &&
        frame.data.message.id === reply.id &&
        frame.data.message.status === 'delivered';
      const live = await socket.waitFor(delivered);
      if (!('data' in live) || !('message' in live.data)) throw new Error('not a message frame');
      expect(live.data.message.attachments[0]).toMatchObject({
        name: 'IMG_4032.jpg',
        contentType: 'image/jpeg',
      });
      // Every frame about this attachment shows the converted copy, never the HEIC.
      const types = socket.frames.flatMap((frame) =>
        'data' in frame && 'attachment' in frame.data && frame.data.messageId === reply.id
          ? [frame.data.attachment.contentType]
          : [],
      );
      expect(types.every((type) => type === 'image/jpeg')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('converts a TIFF scan, and leaves a PNG as the agent sent it', async () => {
    const { visitor, ticket } = await conversation('Ivo');
    const picture = await png(320, 200);
    const tiff = await sharp(picture).tiff().toBuffer();
    const reply = await agentReply(s.agent, ticket.id, 'Both views', [
      { name: 'scan.tiff', bytes: tiff, type: 'image/tiff' },
      { name: 'front.png', bytes: picture, type: 'image/png' },
    ]);
    await s.h.deps.queue.idle();

    const shown = (await visitor.messages()).messages.find((message) => message.id === reply.id)!;
    expect(shown.attachments.map((a) => [a.name, a.contentType])).toEqual([
      ['scan.jpg', 'image/jpeg'],
      ['front.png', 'image/png'],
    ]);
    const scan = Buffer.from(await (await fetch(shown.attachments[0]!.url!)).arrayBuffer());
    expect((await sharp(scan).metadata()).format).toBe('jpeg');
    const front = Buffer.from(await (await fetch(shown.attachments[1]!.url!)).arrayBuffer());
    expect(front.equals(picture)).toBe(true);
  });
});
