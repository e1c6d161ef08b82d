// Server errors and delivery failures in the agent's language, by their stable codes.
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../src/server/errors.js';
import { twilioErrors } from '../../src/server/channels/sms/twilio-errors.js';
import en from '../../src/web/i18n/catalogs/en.js';
import ptBR from '../../src/web/i18n/catalogs/pt-BR.js';
import { deliveryErrorText, errorText } from '../../src/web/i18n/error-text.js';
import { createI18n } from '../../src/web/i18n/i18n.js';

const pt = createI18n(ptBR).t;
const english = createI18n(en).t;

const apiError = (code: string, message = 'Server words.', details?: Record<string, unknown>) => ({
  code,
  message,
  ...(details ? { details } : {}),
});

describe('errorText', () => {
  it('words every error code the server can send, in both languages', () => {
    for (const code of Object.keys(errorStatus)) {
      const error = apiError(code, 'Server words.', { requestId: 'req-1' });
      expect(errorText(pt, error), code).not.toBe('Server words.');
      expect(errorText(english, error), code).not.toBe('Server words.');
    }
  });

  it('names the field with the form’s label and says what is wrong with it', () => {
    const labels = { 'config.authToken': 'channelField.authToken', name: 'channels.name' } as const;
    const missing = apiError(
      'validation_failed',
      'config.authToken: Invalid input: expected string, received undefined.',
      { field: 'config.authToken', issue: 'required' },
    );
    expect(errorText(pt, missing, labels)).toBe('Token de autenticação: preencha este campo.');
    expect(errorText(english, missing, labels)).toBe('Auth token: fill this in.');
    const wrong = apiError('validation_failed', 'name: Too big.', { field: 'name', issue: 'invalid' });
    expect(errorText(pt, wrong, labels)).toBe('Nome: este valor não é aceito.');
    const noIssue = apiError('validation_failed', 'name: Too big.', { field: 'name' });
    expect(errorText(pt, noIssue, labels)).toBe('Nome: este valor não é aceito.');
  });

  it('names a field the form has no label for by its path, and words a field-less refusal', () => {
    const error = apiError('validation_failed', 'config.secret: Invalid input.', {
      field: 'config.secret',
      issue: 'required',
    });
    expect(errorText(pt, error)).toBe('config.secret: preencha este campo.');
    expect(errorText(pt, apiError('validation_failed', 'body: Invalid.'))).toBe(
      ptBR.messages['error.validation'],
    );
  });

  it('words the conflicts the settings forms meet', () => {
    const taken = apiError('conflict', 'An agent with the e-mail a@b.test already exists.', {
      field: 'email',
    });
    expect(errorText(pt, taken, { email: 'agents.email' })).toBe('E-mail: já está em uso.');
    const lastAdmin = apiError('conflict', "This is the account's last admin.", { reason: 'last_admin' });
    expect(errorText(pt, lastAdmin)).toBe(ptBR.messages['error.lastAdmin']);
    expect(errorText(pt, apiError('conflict'))).toBe(ptBR.messages['error.conflict']);
  });

  it('gives the reference of an internal error', () => {
    const error = apiError('internal', 'Something went wrong on our side.', { requestId: 'abc123' });
    expect(errorText(pt, error)).toContain('abc123');
    expect(errorText(pt, apiError('internal'))).toBe(ptBR.messages['common.unexpectedError']);
  });

  it('falls back to the server’s text for a code it does not know, and to a general line for anything else', () => {
    expect(errorText(pt, apiError('brand_new_code', 'A new problem.'))).toBe('A new problem.');
    expect(errorText(pt, new TypeError('boom'))).toBe(ptBR.messages['common.unexpectedError']);
    expect(errorText(pt, null)).toBe(ptBR.messages['common.unexpectedError']);
    expect(errorText(pt, apiError('network', 'The server could not be reached.'))).toBe(
      ptBR.messages['login.unreachable'],
    );
  });
});

describe('deliveryErrorText', () => {
  const failed = (errorCode: string | null, errorMessage: string | null = 'Server words.') => ({
    errorCode,
    errorMessage,
  });

  it('words every Twilio code the server explains', () => {
    for (const code of Object.keys(twilioErrors)) {
      const text = deliveryErrorText(pt, failed(`twilio-${code}`), 'sms');
      expect(text, code).not.toBe('Server words.');
      expect(deliveryErrorText(english, failed(`twilio-${code}`), 'sms'), code).toBe(
        twilioErrors[Number(code)]!.text,
      );
    }
    expect(deliveryErrorText(pt, failed('twilio-30007'), 'sms')).toMatch(/spam/);
  });

  it('reads Meta codes by the channel they came from', () => {
    expect(deliveryErrorText(pt, failed('131047'), 'whatsapp')).toBe(
      ptBR.messages['deliveryError.whatsapp.window'],
    );
    expect(deliveryErrorText(pt, failed('10/2534022'), 'instagram')).toBe(
      ptBR.messages['deliveryError.instagram.window'],
    );
    expect(deliveryErrorText(pt, failed('190'), 'instagram')).toBe(
      'O token de acesso do Instagram expirou ou foi revogado.',
    );
    expect(deliveryErrorText(pt, failed('131047'), 'sms')).toBe('Server words.');
  });

  it('keeps the file’s name and the mail server’s reply', () => {
    expect(
      deliveryErrorText(pt, failed('too_large', '"plan.pdf" is larger than the webchat accepts.'), 'webchat'),
    ).toBe('“plan.pdf” é maior do que o Chat do site aceita.');
    expect(
      deliveryErrorText(
        pt,
        failed('smtp_550', 'The mail server refused the message: 550 5.1.1 no such user'),
        'email',
      ),
    ).toBe('O servidor de e-mail recusou a mensagem: 550 5.1.1 no such user');
    expect(deliveryErrorText(pt, failed('no_recipient'), 'email')).toBe(
      'O cliente não tem endereço neste canal.',
    );
  });

  it('falls back to the server’s words, then to a general reason', () => {
    expect(deliveryErrorText(pt, failed('send_failed', 'Gave up.'), 'sms')).toBe('Gave up.');
    expect(deliveryErrorText(pt, failed(null, null), null)).toBe(ptBR.messages['delivery.failedUnknown']);
  });
});
