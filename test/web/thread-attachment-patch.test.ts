// The thread after an admin redacts an attachment in place: the answer to the request may
// arrive after the events about the same change; an answer still "processing" must not
// replace the attachment the events already showed ready.
import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/shared/api-schemas.js';
import { displayed, isRemoved } from '../../src/web/thread/attachment-removal.js';
import { isStale } from '../../src/web/thread/use-thread.js';

const base: Attachment = {
  id: 'a1',
  name: 'Screenshot.png',
  contentType: 'image/png',
  size: 1000,
  width: 1200,
  height: 760,
  durationMs: null,
  kind: 'image',
  state: 'ready',
  stateReason: null,
  url: '/api/attachments/a1/content',
  thumbnailUrl: '/api/attachments/a1/thumbnail',
  previewUrl: null,
  messageId: 'm1',
  redacted: false,
  removal: null,
};
const redacted = (state: Attachment['state'], at: number): Attachment => ({
  ...base,
  state,
  redacted: true,
  removal: { action: 'redacted', by: { id: 'ag1', name: 'Ana' }, at },
});

describe('patching an attachment after a redaction in place', () => {
  it('keeps the ready view of a change over a later "processing" answer about the same change', () => {
    expect(isStale(redacted('ready', 5), redacted('processing', 5))).toBe(true);
  });

  it('takes any newer change, and the answer when no event came first', () => {
    expect(isStale(redacted('ready', 5), redacted('processing', 9))).toBe(false);
    expect(isStale(base, redacted('processing', 5))).toBe(false);
    expect(isStale(redacted('processing', 5), redacted('ready', 5))).toBe(false);
  });
});

describe('how the thread shows a removal', () => {
  it('gives a redacted-in-place attachment addresses that carry the time of the change', () => {
    const shown = displayed(redacted('ready', 1732456920000));
    expect(shown.url).toBe('/api/attachments/a1/content?v=1732456920000');
    expect(shown.thumbnailUrl).toBe('/api/attachments/a1/thumbnail?v=1732456920000');
    expect(displayed(base)).toBe(base);
  });

  it('treats a deleted attachment with a removal as a tombstone', () => {
    const deleted: Attachment = {
      ...base,
      state: 'deleted',
      url: null,
      thumbnailUrl: null,
      removal: { action: 'deleted', by: null, at: 1 },
    };
    expect(isRemoved(deleted)).toBe(true);
    expect(isRemoved(redacted('ready', 1))).toBe(false);
    expect(isRemoved({ ...base, state: 'deleted' })).toBe(false);
  });
});
