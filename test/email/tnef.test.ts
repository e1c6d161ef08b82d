// Outlook's winmail.dat: the files inside it reach the agent as ordinary attachments, with
// their long names; a container that cannot be read is kept as it came, with a note, and
// leaves no file of its own half-kept behind.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Message } from '../../src/shared/api-schemas.js';
import { longFileName } from '../../src/server/channels/email/tnef.js';
import { png } from '../support/images.js';
import * as corpus from './support/corpus.js';
import {
  createEmailChannel,
  emailMeta,
  emailWorld,
  messageById,
  postMime,
  type EmailWorld,
} from './support/email-harness.js';
import { tnef } from './support/tnef-writer.js';

let world: EmailWorld;
let channel: Channel;

beforeAll(async () => {
  world = await emailWorld();
  channel = await createEmailChannel(world, {});
});
afterAll(async () => {
  await world.close();
});

async function deliver(container: Buffer): Promise<Message> {
  const response = await postMime(world, channel.id, corpus.outlookLike({}, container));
  expect(response.status).toBe(200);
  await world.h.deps.queue.idle();
  return messageById(world, response.body.messageId as string);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('winmail.dat', () => {
  it('is opened into its files, named by their long names, each stored, checked and shown like any attachment', async () => {
    const photo = await png(64, 48);
    const container = tnef([
      { title: 'RELATO~1.PDF', longName: 'Relatório de março.pdf', bytes: corpus.PDF_BYTES },
      { title: 'FOTODA~1.PNG', longName: 'foto da caixa.png', bytes: photo },
    ]);
    const message = await deliver(container);
    expect(message.attachments.map((a) => [a.name, a.state, a.contentType])).toEqual([
      ['image001.png', 'ready', 'image/png'],
      ['image002.png', 'ready', 'image/png'],
      ['image003.png', 'ready', 'image/png'],
      ['Relatório de março.pdf', 'ready', 'application/pdf'],
      ['foto da caixa.png', 'ready', 'image/png'],
    ]);
    expect(message.attachments[4]).toMatchObject({ kind: 'image', width: 64, height: 48 });
    expect(message.attachments[4]!.thumbnailUrl).toBeTruthy();
    const pdf = await world.agent.request('GET', message.attachments[3]!.url!);
    expect(pdf.raw.equals(corpus.PDF_BYTES)).toBe(true);
    const picture = await world.agent.request('GET', message.attachments[4]!.url!);
    expect(picture.raw.equals(photo)).toBe(true);
    expect(emailMeta(message).notes).toContain("2 files were taken out of Outlook's winmail.dat (TNEF).");
    expect(emailMeta(message).notes.join(' ')).not.toContain('could not be opened');
    // The container itself is not kept: its files are.
    expect(await world.h.storedBlobKeys()).not.toContain(sha256(container));
  });

  it('names a file by its title when Outlook wrote no long name', async () => {
    const message = await deliver(tnef([{ title: 'INVOICE.PDF', bytes: corpus.PDF_BYTES }]));
    expect(message.attachments.at(-1)).toMatchObject({ name: 'INVOICE.PDF', contentType: 'application/pdf' });
    expect(emailMeta(message).notes).toContain("1 file was taken out of Outlook's winmail.dat (TNEF).");
  });

  it('that also holds an attached e-mail is kept beside the files taken out of it', async () => {
    const container = tnef([
      { title: 'LABEL.PDF', longName: 'return label.pdf', bytes: corpus.PDF_BYTES },
      { title: 'Order 4471', longName: 'Order 4471.msg' },
    ]);
    const message = await deliver(container);
    expect(message.attachments.slice(3).map((a) => a.name)).toEqual(['return label.pdf', 'winmail.dat']);
    expect(emailMeta(message).notes).toEqual(
      expect.arrayContaining([
        "1 file was taken out of Outlook's winmail.dat (TNEF).",
        expect.stringContaining('winmail.dat also holds items that are not plain files'),
      ]),
    );
    const kept = await world.agent.request('GET', message.attachments.at(-1)!.url!);
    expect(kept.raw.equals(container)).toBe(true);
  });

  it('that cannot be read is kept as it came, with a note, and keeps none of the files read before the damage', async () => {
    const first = Buffer.concat([corpus.PDF_BYTES, Buffer.from('% first of a broken container\n')]);
    const broken = tnef([
      { title: 'FIRST.PDF', longName: 'first.pdf', bytes: first },
      { title: 'SECOND.PDF', longName: 'second.pdf', bytes: corpus.PDF_BYTES, corrupt: true },
    ]);
    const cut = tnef([{ title: 'CUT.PDF', longName: 'cut.pdf', bytes: first }]);
    // Damaged: a wrong checksum; cut short in the properties, and in the middle of a file.
    for (const container of [broken, cut.subarray(0, cut.length - 40), cut.subarray(0, 300)]) {
      const message = await deliver(container);
      expect(message.attachments.map((a) => a.name).at(-1)).toBe('winmail.dat');
      expect(message.attachments.map((a) => a.name)).not.toContain('first.pdf');
      expect(emailMeta(message).notes.join(' ')).toContain(
        'winmail.dat is an Outlook (TNEF) container that could not be opened',
      );
      const kept = await world.agent.request('GET', message.attachments.at(-1)!.url!);
      expect(kept.raw.equals(container)).toBe(true);
    }
    expect(await world.h.storedBlobKeys()).not.toContain(sha256(first));
  });
});

describe('attachment properties', () => {
  it('yield no name when the list is cut short, instead of reading past it', () => {
    const props = Buffer.concat([
      Buffer.from([1, 0, 0, 0]),
      Buffer.from([0x1f, 0x00, 0x07, 0x37]),
      Buffer.from([1, 0, 0, 0, 200, 0, 0, 0]),
    ]);
    expect(longFileName(props)).toBeUndefined();
    expect(longFileName(Buffer.alloc(2))).toBeUndefined();
  });
});
