// The composer says beforehand what an SMS reply does with a photo: MMS for a US or Canadian
// number, a secure link for any other.
import { describe, expect, it } from 'vitest';
import { smsPlanContext } from '../../src/shared/sms-destination.js';
import { composerHints } from '../../src/web/composer/channel-hints.js';
import en from '../../src/web/i18n/catalogs/en.js';
import { createI18n } from '../../src/web/i18n/i18n.js';

const i18n = createI18n(en);
const photo = { id: 'a1', contentType: 'image/jpeg', size: 300_000 };

describe('SMS composer hints by destination', () => {
  it('sends a photo as MMS to a US number and as a secure link to a UK number', () => {
    const us = composerHints(i18n, 'sms', [photo], 'Here it is', smsPlanContext('+12025550143'));
    expect(us.files.get('a1')?.decision).toEqual({ action: 'send' });
    const uk = composerHints(i18n, 'sms', [photo], 'Here it is', smsPlanContext('+447700900123'));
    expect(uk.files.get('a1')).toMatchObject({
      tone: 'warning',
      decision: { action: 'link', reason: 'destination' },
      text: en.messages['hint.linkDestination'],
    });
    const anyway = composerHints(i18n, 'sms', [photo], '', smsPlanContext('+447700900123', 'send'));
    expect(anyway.files.get('a1')?.decision).toEqual({ action: 'send' });
  });
});
