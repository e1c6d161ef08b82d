// WhatsApp inbound media: a webhook carrying five photos, from Meta's POST to "all five
// stored", against the baseline of fetching the same five files in two steps straight from
// the same Graph API simulator (what any download must cost, with nothing stored).
import sharp from 'sharp';
import { whatsappAdapter } from '../src/server/channels/whatsapp/whatsapp-adapter.js';
import { startFakeGraph } from '../src/server/simulators/fake-graph.js';
import { buildWhatsAppEnvelope, waContact, waMediaMessage } from '../src/server/simulators/fake-graph.js';
import type { Channel } from '../src/shared/api-schemas.js';
import { signIn } from '../test/support/client.js';
import { buildAccount, createHarness } from '../test/support/harness.js';
import { median, percentile, table } from './support.js';

const ROUNDS = 15;
const PER_BATCH = 5;
const SECRET = 'bench-app-secret';
const TOKEN = 'bench-access-token';

async function photo(seed: number): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 13 + (i >> 9)) & 0xff;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export async function main(): Promise<void> {
  process.env.TEST_LOG_LEVEL = 'silent';
  const h = await createHarness({ adapters: [whatsappAdapter] });
  const graph = await startFakeGraph({ appSecret: SECRET, accessToken: TOKEN });
  const account = await buildAccount(h);
  const agent = await signIn(h, account.admin.email, account.admin.password);
  const channel = (
    await agent.request<Channel>('POST', '/api/channels', {
      kind: 'whatsapp',
      name: 'bench',
      config: {
        phoneNumberId: graph.whatsappAccount.phoneNumberId,
        accessToken: TOKEN,
        appSecret: SECRET,
        verifyToken: 'bench-verify-token',
        graphBaseUrl: graph.baseUrl,
        graphVersion: graph.version,
      },
    })
  ).body;
  const photos = await Promise.all(Array.from({ length: PER_BATCH }, (_, i) => photo(i)));
  const bytes = photos.reduce((sum, p) => sum + p.length, 0);

  const baseline: number[] = [];
  const ack: number[] = [];
  const stored: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Baseline: both steps for each of the five, in parallel, bytes read and dropped.
    const ids = photos.map((p) => graph.whatsapp.addMedia(p, 'image/jpeg').id);
    let started = performance.now();
    await Promise.all(
      ids.map(async (id) => {
        const auth = { authorization: `Bearer ${TOKEN}` };
        const info = (await (await fetch(`${graph.graphUrl}/${id}`, { headers: auth })).json()) as {
          url: string;
        };
        await (await fetch(info.url, { headers: auth })).arrayBuffer();
      }),
    );
    baseline.push(performance.now() - started);

    const from = `1555${String(5_000_000 + round)}`;
    const messages = photos.map((p) => {
      const media = graph.whatsapp.addMedia(p, 'image/jpeg');
      return waMediaMessage({
        from,
        type: 'image',
        media: { id: media.id, mime_type: 'image/jpeg', sha256: media.sha256Base64 },
      });
    });
    const envelope = buildWhatsAppEnvelope(graph.whatsappAccount, {
      contacts: [waContact(from, 'Bench')],
      messages,
    });
    started = performance.now();
    const delivery = await graph.deliverWhatsApp(channel.webhookUrl as string, envelope);
    ack.push(performance.now() - started);
    if (delivery.response?.status !== 200) throw new Error(`webhook answered ${delivery.response?.status}`);
    for (;;) {
      const pending = await h.deps.db
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'processing')
        .executeTakeFirstOrThrow();
      if (Number(pending.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    stored.push(performance.now() - started);
  }
  const ready = await h.deps.db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'ready')
    .executeTakeFirstOrThrow();
  await graph.close();
  await h.close();
  const ms = (v: number) => v.toFixed(1);
  console.log(
    table(
      `WhatsApp webhook with ${PER_BATCH} photos (${(bytes / 1024 / 1024).toFixed(2)} MB in all), ${ROUNDS} rounds, SQLite`,
      ['', 'median (ms)', 'p90 (ms)'],
      [
        [
          'baseline: two-step fetch of the 5 files, nothing stored',
          ms(median(baseline)),
          ms(percentile(baseline, 90)),
        ],
        [
          'webhook answered 200 (verified, 5 messages + 5 jobs committed)',
          ms(median(ack)),
          ms(percentile(ack, 90)),
        ],
        ['all 5 stored, sniffed and thumbnailed (ready)', ms(median(stored)), ms(percentile(stored, 90))],
      ],
    ),
  );
  console.log(`attachments ready: ${Number(ready.n)} of ${ROUNDS * PER_BATCH}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
