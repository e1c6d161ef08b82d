// The SMS channel's pure parts: where MMS may go, how a reply is cut into Twilio messages, and
// how Twilio's refusals become plain words with the right retry and health decisions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAttachment, defaultChannelRules } from '../../src/shared/channel-rules.js';
import { canReceiveMms, smsPlanContext } from '../../src/shared/sms-destination.js';
import { ProviderError } from '../../src/server/channels/adapter.js';
import { composeSmsParts, splitSmsText } from '../../src/server/channels/sms/sms-parts.js';
import { parseStatusCallback } from '../../src/server/channels/sms/sms-inbound.js';
import { createTwilioMessage } from '../../src/server/channels/sms/twilio-rest.js';
import { describeTwilioError, twilioErrors } from '../../src/server/channels/sms/twilio-errors.js';
import { buildTwilioError } from '../../src/server/channels/twilio/twilio-error.js';
import { startHttpStub, type HttpStub, type StubAnswer } from '../fakes/http-stub.js';

const rules = defaultChannelRules.sms;

describe('MMS destinations', () => {
  it('allows US and Canadian numbers and refuses the rest of the world and other NANP countries', () => {
    expect(canReceiveMms('+12025550143')).toBe(true);
    expect(canReceiveMms('+14165550123')).toBe(true);
    expect(canReceiveMms('+18765550123')).toBe(false);
    expect(canReceiveMms('+447700900123')).toBe(false);
    expect(canReceiveMms('+5511987654321')).toBe(false);
    expect(canReceiveMms('not a number')).toBe(false);
    expect(canReceiveMms(null)).toBe(false);
  });

  it('tells the composer a photo to a UK number goes as a link, unless the channel sends MMS anyway', () => {
    const photo = { contentType: 'image/jpeg', size: 200_000 };
    expect(decideAttachment(rules, photo, smsPlanContext('+12025550143'))).toEqual({ action: 'send' });
    expect(decideAttachment(rules, photo, smsPlanContext('+447700900123'))).toEqual({
      action: 'link',
      reason: 'destination',
    });
    expect(decideAttachment(rules, photo, smsPlanContext('+447700900123', 'send'))).toEqual({
      action: 'send',
    });
  });
});

describe('cutting a reply into Twilio messages', () => {
  it('cuts text at 1,600 characters on word boundaries, counting characters not bytes', () => {
    const text = `${'ação '.repeat(500)}fim`;
    const pieces = splitSmsText(text);
    expect(pieces.every((piece) => [...piece].length <= 1600)).toBe(true);
    expect(pieces.join(' ')).toBe(text.trim());
    expect(pieces.every((piece) => !piece.startsWith(' ') && !piece.endsWith(' '))).toBe(true);
    expect(splitSmsText('x'.repeat(3300))).toEqual(['x'.repeat(1600), 'x'.repeat(1600), 'x'.repeat(100)]);
    expect(splitSmsText('   ')).toEqual([]);
  });

  it('pairs text pieces with media groups of at most ten and 5 MB, in order, links appended to the text', () => {
    const media = Array.from({ length: 13 }, (_, i) => ({
      url: `https://h/${i}`,
      contentType: 'image/jpeg',
      size: i === 12 ? 5_100_000 : 100_000,
    }));
    const parts = composeSmsParts(rules, 'Photos', media, ['manual.pdf (2 MB): https://h/m']);
    expect(parts.map((p) => p.mediaUrls.length)).toEqual([10, 2, 1]);
    expect(parts.flatMap((p) => p.mediaUrls)).toEqual(media.map((m) => m.url));
    expect(parts.map((p) => p.body)).toEqual(['Photos\n\nmanual.pdf (2 MB): https://h/m', '', '']);
    expect(composeSmsParts(rules, '', [], [])).toEqual([{ body: '', mediaUrls: [] }]);
  });
});

describe('status callbacks', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);
  it('maps Twilio statuses to ours, undelivered to failed with a stable code and plain words', () => {
    expect(parseStatusCallback(form({ MessageSid: 'SM1', MessageStatus: 'sent' }))).toMatchObject({
      status: 'sent',
    });
    expect(
      parseStatusCallback(form({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' })),
    ).toEqual({
      type: 'status',
      providerMessageId: 'SM1',
      status: 'failed',
      errorCode: 'twilio-30003',
      errorMessage: twilioErrors[30003]!.text,
    });
    expect(parseStatusCallback(form({ MessageSid: 'SM1', MessageStatus: 'receiving' }))).toBeNull();
    expect(() => parseStatusCallback(form({ MessageStatus: 'sent' }))).toThrow(/MessageSid/);
  });

  it('says something useful for a code it does not know', () => {
    expect(describeTwilioError(99999, 'Strange thing.').text).toBe('Twilio error 99999 (Strange thing).');
  });
});

describe("Twilio's Messages API refusals", () => {
  let stub: HttpStub;
  let answer: StubAnswer = { status: 201 };
  beforeAll(async () => {
    stub = await startHttpStub(() => answer);
  });
  afterAll(() => stub.close());

  const account = () => ({
    baseUrl: stub.baseUrl,
    accountSid: `AC${'1'.repeat(32)}`,
    authToken: 'token-123',
  });
  const json = (status: number, body: unknown): StubAnswer => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const refusal = async (): Promise<ProviderError> => {
    const error = await createTwilioMessage(account(), [['To', '+12025550143']]).catch((e: unknown) => e);
    if (!(error instanceof ProviderError)) throw new Error('expected a ProviderError');
    return error;
  };

  it('posts the form with Basic auth and returns the sid', async () => {
    answer = json(201, { sid: `SM${'a'.repeat(32)}`, status: 'queued' });
    expect(
      await createTwilioMessage(account(), [
        ['To', '+12025550143'],
        ['Body', 'hi'],
      ]),
    ).toEqual({
      sid: `SM${'a'.repeat(32)}`,
      status: 'queued',
    });
    const request = stub.received.at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/AC${'1'.repeat(32)}/Messages.json`);
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`AC${'1'.repeat(32)}:token-123`).toString('base64')}`,
    );
    expect(request.body.toString()).toBe('To=%2B12025550143&Body=hi');
  });

  it('turns STOP (21610) into plain words, not retried, channel fine', async () => {
    answer = json(400, buildTwilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
    const error = await refusal();
    expect(error).toMatchObject({ providerCode: 'twilio-21610', retryable: false, health: undefined });
    expect(error.message).toMatch(/replied STOP/);
  });

  it('flags the channel when Twilio refuses the credentials', async () => {
    answer = json(401, buildTwilioError(401, 20003, 'Authenticate'));
    const error = await refusal();
    expect(error).toMatchObject({ providerCode: 'twilio-20003', retryable: false });
    expect(error.health).toEqual({ health: 'needs_attention', reason: expect.stringMatching(/Auth Token/) });
  });

  it('retries a rate limit, a server error and an unreachable API', async () => {
    answer = json(429, buildTwilioError(429, 20429, 'Too Many Requests'));
    expect((await refusal()).retryable).toBe(true);
    answer = { status: 503, body: '<html>down</html>' };
    expect(await refusal()).toMatchObject({ providerCode: 'twilio-http-503', retryable: true });
    const closed = await createTwilioMessage({ ...account(), baseUrl: 'http://127.0.0.1:1' }, []).catch(
      (e: unknown) => e,
    );
    expect(closed).toMatchObject({ providerCode: 'twilio-unreachable', retryable: true });
  });
});
