// The SMS channel's simulator: the Twilio fake, started inside the app for one channel in
// simulator mode with that channel's credentials, and the handset log the customer page shows.
import { createHash } from 'node:crypto';
import type { ChannelRecord } from '../../channels/adapter.js';
import { smsConfigOf } from '../../channels/sms/sms-config.js';
import { startFakeTwilio, type FakeTwilio } from '../fake-twilio.js';
import type { ChannelSimulator, RunningSimulator } from '../simulator-host.js';
import { createHandset, type Handset } from './handset.js';

export interface SmsSimulatorInstance extends RunningSimulator {
  fake: FakeTwilio;
  handset: Handset;
  /** The channel's own number, which simulated customers text. */
  number: string;
}

/** The number a simulated customer texts when the channel sends from a Messaging Service. */
export const SIMULATED_SERVICE_NUMBER = '+12025550100';

export const simulatorNumberOf = (channel: ChannelRecord): string => {
  const config = smsConfigOf(channel);
  return config.from?.startsWith('+') ? config.from : SIMULATED_SERVICE_NUMBER;
};

export const smsSimulator: ChannelSimulator<SmsSimulatorInstance> = {
  kind: 'sms',
  fingerprint(channel) {
    const config = smsConfigOf(channel);
    return createHash('sha256').update(`${config.accountSid}\n${config.authToken}`).digest('hex');
  },
  async start(channel, { log }) {
    const config = smsConfigOf(channel);
    const fake = await startFakeTwilio({
      accountSid: config.accountSid,
      authToken: config.authToken,
      nonUsCaMedia: 'convert',
      maxRecordedRequests: 200,
    });
    const handset = createHandset({ maxMessages: 1000, maxMediaBytes: 64 * 1024 * 1024 });
    const record = (message: Parameters<Handset['recordOutbound']>[0]): void => {
      handset.recordOutbound(message);
    };
    fake.events.on('message-accepted', record);
    fake.events.on('status-callback', (message, callback) =>
      record({ ...message, status: callback.status, errorCode: callback.errorCode ?? null }),
    );
    fake.events.on('message-settled', (message) => {
      record(message);
      log.info(
        { sid: message.sid, to: message.to, status: message.status, errorCode: message.errorCode },
        'simulated handset received a message',
      );
    });
    return {
      baseUrl: fake.baseUrl,
      fake,
      handset,
      number: simulatorNumberOf(channel),
      close: () => fake.close(),
    };
  },
};
