// Media a customer sent on Instagram: an unauthenticated CDN link that expires, fetched by a
// job as soon as the message arrives. A link that has lapsed, or that answers with a web page
// instead of the file, leaves a plain "no longer available on Instagram" reason.
import { PermanentJobError } from '../../infra/queue/job.js';
import type { AdapterDeps, ChannelRecord, FetchedMedia } from '../adapter.js';
import { instagramClient, instagramConfigOf } from './instagram-config.js';

export const INSTAGRAM_MEDIA_GONE =
  'This attachment is no longer available on Instagram (its link has expired).';
const WEB_PAGE =
  'Instagram answered with a web page instead of the file: it is no longer available on Instagram.';

export async function fetchInstagramMedia(
  source: Record<string, unknown>,
  channel: ChannelRecord,
  deps: AdapterDeps,
): Promise<FetchedMedia> {
  const url = typeof source.url === 'string' && /^https?:\/\//i.test(source.url) ? source.url : '';
  if (!url) throw new PermanentJobError('Instagram did not say where this attachment is (no link).');
  const client = await instagramClient(channel, instagramConfigOf(channel), deps);
  const download = await client.download(url, { auth: false });
  const type = (download.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (download.status >= 200 && download.status < 300 && type !== 'text/html') {
    return {
      stream: download.stream,
      ...(type ? { contentType: download.contentType } : {}),
      ...(download.contentLength === undefined ? {} : { declaredSize: download.contentLength }),
    };
  }
  download.stream.destroy();
  if (download.status >= 200 && download.status < 300) throw new PermanentJobError(WEB_PAGE);
  if (download.status === 429 || download.status >= 500) {
    throw new Error(`Instagram's CDN answered HTTP ${download.status}; the download will be tried again.`);
  }
  deps.log.info({ status: download.status }, 'Instagram media link no longer answers');
  throw new PermanentJobError(INSTAGRAM_MEDIA_GONE);
}
