// An attachment after an admin acted on it: a deleted one leaves a tombstone saying who and
// when; a redacted one shows the new image with a small "Redacted by …" line. Its addresses
// carry the time of the change, so the browser fetches the new bytes instead of the old ones.
import type { Attachment } from '../../shared/api-schemas.js';
import type { AttachmentRemoval } from '../../shared/redaction-api.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';

const versioned = (url: string | null, at: number): string | null =>
  url ? `${url}${url.includes('?') ? '&' : '?'}v=${at}` : null;

/** The attachment as the thread shows it: redacted-in-place media get fresh addresses. */
export function displayed(attachment: Attachment): Attachment {
  const removal = attachment.removal;
  if (!removal || removal.action !== 'redacted') return attachment;
  return {
    ...attachment,
    url: versioned(attachment.url, removal.at),
    thumbnailUrl: versioned(attachment.thumbnailUrl, removal.at),
    previewUrl: versioned(attachment.previewUrl, removal.at),
  };
}

export const isRemoved = (attachment: Attachment): boolean =>
  attachment.removal?.action === 'deleted' || (attachment.state === 'deleted' && Boolean(attachment.removal));

function useRemovalText(removal: AttachmentRemoval): string {
  const { t, date } = useI18n();
  const when = date(removal.at, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
  const deleted = removal.action === 'deleted';
  if (removal.by)
    return t(deleted ? 'redaction.deletedBy' : 'redaction.redactedBy', { name: removal.by.name, when });
  return t(deleted ? 'redaction.deletedNoName' : 'redaction.redactedNoName', { when });
}

export function RemovalLine({ removal }: { removal: AttachmentRemoval }) {
  const text = useRemovalText(removal);
  return (
    <span className="removal-note" data-removal={removal.action}>
      <Icon name="shield" size={12} />
      {text}
    </span>
  );
}

export function Tombstone({ attachment, removal }: { attachment: Attachment; removal: AttachmentRemoval }) {
  const text = useRemovalText(removal);
  return (
    <div className="media-tombstone" role="group" aria-label={text} data-removal="deleted">
      <Icon name="trash" size={18} />
      <span className="media-tombstone-text">
        <span className="media-tombstone-name">{attachment.name}</span>
        <span className="media-tombstone-by">{text}</span>
      </span>
    </div>
  );
}
