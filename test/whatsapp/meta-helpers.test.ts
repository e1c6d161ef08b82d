import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decideAttachment, defaultChannelRules } from '../../src/shared/channel-rules.js';
import { replyWindowOf } from '../../src/shared/reply-window.js';
import {
  createGraphClient,
  GraphApiError,
  mayCarryToken,
} from '../../src/server/channels/meta/graph-client.js';
import { startHttpStub, type StubAnswer } from '../fakes/http-stub.js';
import { explainGraphProblem } from '../../src/server/channels/meta/graph-failure.js';
import { answerVerification, receivedAt } from '../../src/server/channels/meta/meta-webhook.js';
import { splitText } from '../../src/server/channels/meta/split-text.js';
import { wantsHumanAgentTag } from '../../src/server/channels/instagram/instagram-send.js';
import type { OutboundMessage } from '../../src/server/channels/adapter.js';

const HOUR = 3_600_000;

describe('splitText', () => {
  it('keeps short text whole and splits long text at word boundaries within the limit', () => {
    expect(splitText('  hello  ', { max: 10, unit: 'chars' })).toEqual(['hello']);
    const parts = splitText('aaaa bbbb cccc dddd', { max: 10, unit: 'chars' });
    expect(parts).toEqual(['aaaa bbbb', 'cccc dddd']);
  });

  it('counts UTF-8 bytes when asked, and never cuts a character in two', () => {
    const parts = splitText('ééééé', { max: 4, unit: 'utf8-bytes' });
    expect(parts).toEqual(['éé', 'éé', 'é']);
    expect(splitText('😀😀', { max: 1, unit: 'utf8-bytes' })).toEqual(['😀', '😀']);
  });
});

describe('replyWindowOf', () => {
  const instagram = defaultChannelRules.instagram;
  it('is open for 24 hours, then closed with HUMAN_AGENT allowed up to 7 days on Instagram', () => {
    expect(replyWindowOf(instagram, 0, 23 * HOUR)).toMatchObject({ state: 'open', humanAgentAllowed: false });
    expect(replyWindowOf(instagram, 0, 25 * HOUR)).toMatchObject({
      state: 'closed',
      humanAgentAllowed: true,
    });
    expect(replyWindowOf(instagram, 0, 8 * 24 * HOUR)).toMatchObject({
      state: 'closed',
      humanAgentAllowed: false,
    });
    expect(replyWindowOf(defaultChannelRules.whatsapp, 0, 25 * HOUR)).toMatchObject({
      state: 'closed',
      humanAgentUntil: null,
      humanAgentAllowed: false,
    });
    expect(replyWindowOf(defaultChannelRules.email, 0, 99 * HOUR).state).toBe('none');
  });
});

describe('WhatsApp audio rules', () => {
  it('sends Opus voice notes as they are and converts other OGG audio to OGG/Opus', () => {
    const rules = defaultChannelRules.whatsapp;
    expect(decideAttachment(rules, { contentType: 'audio/ogg; codecs=opus', size: 1000 })).toEqual({
      action: 'send',
    });
    expect(decideAttachment(rules, { contentType: 'audio/ogg', size: 1000 })).toEqual({
      action: 'convert',
      to: 'audio/ogg; codecs=opus',
    });
    expect(decideAttachment(rules, { contentType: 'audio/webm', size: 1000 })).toMatchObject({
      action: 'convert',
    });
    expect(decideAttachment(rules, { contentType: 'video/mp4', size: 17 * 1024 * 1024 })).toEqual({
      action: 'link',
      reason: 'too_large',
    });
  });
});

describe('Meta helpers', () => {
  it('sends the token only to the configured API origin or to Meta hosts over HTTPS', () => {
    const base = new URL('https://graph.facebook.com');
    expect(mayCarryToken(new URL('https://lookaside.fbsbx.com/whatsapp_business/x'), base)).toBe(true);
    expect(mayCarryToken(new URL('https://graph.facebook.com/v21.0/1'), base)).toBe(true);
    expect(mayCarryToken(new URL('http://lookaside.fbsbx.com/x'), base)).toBe(false);
    expect(mayCarryToken(new URL('https://evil.example/fbsbx.com'), base)).toBe(false);
    expect(mayCarryToken(new URL('https://fbsbx.com.evil.example/'), base)).toBe(false);
    expect(mayCarryToken(new URL('http://127.0.0.1:9/x'), new URL('http://127.0.0.1:9'))).toBe(true);
  });

  it('explains provider errors and says whether retrying helps', () => {
    expect(explainGraphProblem('whatsapp', { code: 131047 })).toMatchObject({
      code: '131047',
      retryable: false,
      reason: "More than 24 hours since the customer's last message: only templates can be sent.",
    });
    expect(explainGraphProblem('instagram', { code: 10, subcode: 2534022 })).toMatchObject({
      code: '10/2534022',
      retryable: false,
    });
    expect(explainGraphProblem('whatsapp', { code: 130429 }).retryable).toBe(true);
    expect(explainGraphProblem('instagram', { code: 190, status: 400 })).toMatchObject({
      retryable: false,
      health: { health: 'needs_attention' },
    });
    expect(explainGraphProblem('whatsapp', { code: 999, detail: 'Odd thing' }).reason).toBe(
      'WhatsApp refused the message: Odd thing.',
    );
  });

  it('answers the verification GET only for the right token and a challenge', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'token-123', 'hub.challenge': '42' };
    expect(answerVerification(query, 'token-123').response).toMatchObject({ status: 200, body: '42' });
    expect(answerVerification(query, 'token-1234').response.status).toBe(403);
    expect(answerVerification({ ...query, 'hub.challenge': '' }, 'token-123').response.status).toBe(403);
    expect(answerVerification(query, '').response.status).toBe(403);
  });

  it('dates live messages on arrival and late redeliveries by the provider', () => {
    expect(receivedAt(1_000_000, 1_000_500)).toBe(1_000_500);
    expect(receivedAt(1_000_000, 1_000_000 + 2 * HOUR)).toBe(1_000_000);
    expect(receivedAt(undefined, 5)).toBe(5);
  });

  it('tags an Instagram reply HUMAN_AGENT only when asked and allowed', () => {
    const message = (meta: Record<string, unknown>) => ({ meta }) as OutboundMessage;
    expect(wantsHumanAgentTag(message({ humanAgentTag: true }), true)).toBe(true);
    expect(wantsHumanAgentTag(message({ humanAgentTag: true }), false)).toBe(false);
    expect(wantsHumanAgentTag(message({ humanAgentTag: true }), undefined)).toBe(false);
    expect(wantsHumanAgentTag(message({}), true)).toBe(false);
  });
});

describe('Graph client', () => {
  it('never carries the token across a redirect to another host, nor to a foreign host', async () => {
    const cdn = await startHttpStub(() => ({
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: 'png',
    }));
    const api = await startHttpStub((request): StubAnswer =>
      request.path.startsWith('/hop')
        ? { status: 302, headers: { location: cdn.url('/file.png') } }
        : {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ error: { message: 'Bad', code: 100, error_subcode: 33 } }),
          },
    );
    try {
      const client = createGraphClient({ baseUrl: api.baseUrl, accessToken: 'secret-token-1' });
      const download = await client.download(api.url('/hop'), { auth: true });
      expect(download.status).toBe(200);
      download.stream.resume();
      expect(api.received[0]!.headers.authorization).toBe('Bearer secret-token-1');
      expect(cdn.received[0]!.headers.authorization).toBeUndefined();
      await expect(client.download(cdn.url('/file.png'), { auth: true })).rejects.toThrow(/not a Meta host/);
      await expect(client.get('123', z.object({ id: z.string() }))).rejects.toBeInstanceOf(GraphApiError);
      await expect(client.get('123', z.object({ id: z.string() }))).rejects.toMatchObject({
        code: 100,
        subcode: 33,
      });
    } finally {
      await cdn.close();
      await api.close();
    }
  });
});
