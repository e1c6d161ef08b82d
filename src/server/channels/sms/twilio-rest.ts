// Twilio's Messages API: create one message (form-encoded, Basic auth) and turn every refusal
// into a ProviderError with plain words for the agent.
import { z } from 'zod';
import { twilioErrorSchema } from '../twilio/twilio-error.js';
import { ProviderError } from '../adapter.js';
import { describeTwilioError, twilioErrorCode } from './twilio-errors.js';

export interface TwilioAccount {
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

const createdSchema = z.looseObject({
  sid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/),
  status: z.string(),
});

export const basicAuth = (account: Pick<TwilioAccount, 'accountSid' | 'authToken'>): string =>
  `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`, 'utf8').toString('base64')}`;

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Creates a message; resolves with Twilio's sid once Twilio has accepted it. */
export async function createTwilioMessage(
  account: TwilioAccount,
  fields: ReadonlyArray<readonly [string, string]>,
  timeoutMs = 30_000,
): Promise<{ sid: string; status: string }> {
  const url = `${account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: basicAuth(account),
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ProviderError(
      'twilio-unreachable',
      `Twilio could not be reached (${error instanceof Error ? error.message : String(error)}); the message will be sent again shortly.`,
      true,
    );
  }
  const text = await response.text();
  const json = parseJson(text);
  if (response.status === 200 || response.status === 201) {
    const created = createdSchema.safeParse(json);
    if (!created.success) {
      throw new ProviderError(
        'twilio-bad-answer',
        'Twilio accepted the message but its answer could not be read.',
        false,
      );
    }
    return { sid: created.data.sid, status: created.data.status };
  }
  const body = twilioErrorSchema.safeParse(json);
  const code = body.success ? body.data.code : response.status === 401 ? 20003 : null;
  const info = describeTwilioError(code, body.success ? body.data.message : undefined);
  const retryable = info.retryable || response.status === 429 || response.status >= 500;
  throw new ProviderError(
    code === null ? `twilio-http-${response.status}` : twilioErrorCode(code),
    code === null && response.status >= 500
      ? `Twilio answered ${response.status}; the message will be sent again shortly.`
      : info.text,
    retryable,
    info.channel ? { health: 'needs_attention', reason: info.text } : undefined,
  );
}
