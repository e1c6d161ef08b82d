// Editing a provider channel: the form shows stored settings but never a secret, sends a
// secret only when one is typed, and removes an optional setting that was emptied.
import { describe, expect, it } from 'vitest';
import { channelFields, fieldsConfig, storedText } from '../../src/web/settings/channel-fields.js';

describe('channel form fields', () => {
  const sms = channelFields.sms;

  it('shows stored settings and never a secret', () => {
    const config = { accountSid: 'AC123', from: '+15550001111', authToken: 'should-not-be-here' };
    expect(sms.map((field) => storedText(field, config))).toEqual(['AC123', '', '+15550001111', '']);
  });

  it('keeps a secret left blank and removes an emptied optional setting when editing', () => {
    const values = { accountSid: 'AC123', authToken: '', from: '', messagingServiceSid: 'MG1' };
    expect(fieldsConfig(sms, values, true)).toEqual({
      accountSid: 'AC123',
      from: null,
      messagingServiceSid: 'MG1',
    });
    expect(fieldsConfig(sms, { ...values, authToken: 'new-token' }, true)).toMatchObject({
      authToken: 'new-token',
    });
  });

  it('leaves empty settings out when creating', () => {
    expect(fieldsConfig(sms, { accountSid: 'AC123', authToken: 't' }, false)).toEqual({
      accountSid: 'AC123',
      authToken: 't',
    });
  });
});
