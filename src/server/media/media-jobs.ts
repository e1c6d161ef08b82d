// Job declarations of the media pipeline. Handlers live beside the work they do.
import { z } from 'zod';
import { defineJob } from '../infra/queue/job.js';

export const deriveJob = defineJob({
  name: 'media.derive',
  queue: 'media',
  schema: z.object({ attachmentId: z.string() }),
  dedupeKey: (payload) => payload.attachmentId,
  maxAttempts: 3,
});

/** The display-size preview, after the thumbnail: the thread needs the thumbnail first. */
export const previewJob = defineJob({
  name: 'media.preview',
  queue: 'media',
  schema: z.object({ attachmentId: z.string() }),
  dedupeKey: (payload) => payload.attachmentId,
  maxAttempts: 2,
});

export const fetchMediaJob = defineJob({
  name: 'media.fetch',
  queue: 'fetch',
  schema: z.object({ attachmentId: z.string() }),
  dedupeKey: (payload) => payload.attachmentId,
  maxAttempts: 5,
  backoffMs: (attempt) => Math.min(10 * 60_000, 1_000 * 3 ** (attempt - 1)),
});

/** Text recognition and personal-data detection of one stored image, for one account. */
export const piiScanJob = defineJob({
  name: 'media.pii-scan',
  queue: 'media',
  schema: z.object({ accountId: z.string(), blobKey: z.string().regex(/^[0-9a-f]{64}$/) }),
  dedupeKey: (payload) => `${payload.accountId}:${payload.blobKey}`,
  maxAttempts: 4,
  backoffMs: (attempt) => Math.min(60_000, 2_000 * 3 ** (attempt - 1)),
});
