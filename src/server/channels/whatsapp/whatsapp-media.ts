// Media a customer sent on WhatsApp, downloaded in two steps with the Bearer token: the media
// id gives a short-lived URL (about 5 minutes), the URL gives the bytes. When the URL has
// lapsed, the first step is made again; an id that is gone or a revoked token stop the job
// with a reason the agent can read.
import { z } from 'zod';
import { PermanentJobError } from '../../infra/queue/job.js';
import type { AdapterDeps, ChannelRecord, FetchedMedia } from '../adapter.js';
import { toFetchError } from '../meta/graph-failure.js';
import { whatsappClient, whatsappConfigOf } from './whatsapp-config.js';

const mediaInfoSchema = z.looseObject({
  url: z.string().min(1),
  mime_type: z.string().optional().catch(undefined),
  file_size: z.union([z.number(), z.string()]).optional().catch(undefined),
});

export const WHATSAPP_MEDIA_GONE =
  'This media is no longer available on WhatsApp (media ids last 7 days, or it was removed).';
const TOKEN_REJECTED =
  'WhatsApp refused the access token while downloading: paste a new token in the channel settings, then fetch again.';

/** Tries of the two steps within one job attempt: a second when the URL lapsed in between. */
const URL_TRIES = 2;

export async function fetchWhatsAppMedia(
  source: Record<string, unknown>,
  channel: ChannelRecord,
  deps: AdapterDeps,
): Promise<FetchedMedia> {
  const config = whatsappConfigOf(channel);
  const mediaId =
    typeof source.mediaId === 'string' && /^[\w.-]{1,100}$/.test(source.mediaId) ? source.mediaId : '';
  if (!mediaId) throw new PermanentJobError('WhatsApp did not say where this media is (no media id).');
  const client = await whatsappClient(channel, config, deps);
  let lastStatus = 0;
  for (let attempt = 1; attempt <= URL_TRIES; attempt++) {
    let info: z.infer<typeof mediaInfoSchema>;
    try {
      info = await client.get(mediaId, mediaInfoSchema);
    } catch (error) {
      throw toFetchError('whatsapp', error, WHATSAPP_MEDIA_GONE);
    }
    const download = await client.download(info.url, { auth: true });
    if (download.status >= 200 && download.status < 300) {
      const claimed = typeof info.file_size === 'string' ? Number(info.file_size) : info.file_size;
      if (
        claimed !== undefined &&
        download.contentLength !== undefined &&
        claimed !== download.contentLength
      ) {
        deps.log.info(
          { mediaId, fileSize: info.file_size, contentLength: download.contentLength },
          'WhatsApp file_size disagrees with the download; the bytes count',
        );
      }
      const contentType = download.contentType ?? info.mime_type;
      return {
        stream: download.stream,
        ...(contentType ? { contentType } : {}),
        ...(download.contentLength === undefined ? {} : { declaredSize: download.contentLength }),
      };
    }
    download.stream.destroy();
    lastStatus = download.status;
    if (download.status === 401) throw new PermanentJobError(TOKEN_REJECTED);
    // 403/404/410: the short-lived URL has lapsed; ask for a fresh one.
    if (![403, 404, 410].includes(download.status)) break;
    deps.log.info({ mediaId, status: download.status, attempt }, 'WhatsApp media URL lapsed; asking again');
  }
  throw new Error(`WhatsApp's media host answered HTTP ${lastStatus}; the download will be tried again.`);
}
