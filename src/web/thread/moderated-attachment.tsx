// An attachment in the thread with what admins can do to it after the fact: redact an image
// in place (the same editor as the composer's, replacing the file for everyone) or delete
// the file after a confirmation. What was done shows as a tombstone or a "Redacted by" line.
// The dialogs go to the end of the page: thread rows are positioned with transforms, which
// would hold a fixed dialog inside the row.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { Attachment } from '../../shared/api-schemas.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { deleteAttachment, isRedactableType, redactAttachment } from '../redaction/redaction-client.js';
import { RedactionEditor } from '../redaction/redaction-editor.js';
import { usePiiScans } from '../redaction/use-pii-scans.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Icon } from '../ui/icon.js';
import { displayed, isRemoved, RemovalLine, Tombstone } from './attachment-removal.js';
import { AttachmentView } from './attachment-view.js';
import type { Box } from './media-size.js';

export function ModeratedAttachment({
  attachment,
  retryable,
  admin,
  onOpen,
  onChanged,
  maxBox,
}: {
  attachment: Attachment;
  retryable: boolean;
  admin: boolean;
  onOpen(attachment: Attachment): void;
  onChanged(attachment: Attachment): void;
  maxBox: Box;
}) {
  const { t } = useI18n();
  const scans = usePiiScans();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const removal = attachment.removal ?? null;

  if (removal && isRemoved(attachment)) return <Tombstone attachment={attachment} removal={removal} />;

  const shown = displayed(attachment);
  const canRedact =
    admin &&
    attachment.kind === 'image' &&
    attachment.state === 'ready' &&
    isRedactableType(attachment.contentType);
  const canDelete = admin && attachment.state !== 'deleted';

  async function remove() {
    setDeleting(true);
    setDeleteError(null);
    try {
      const changed = await deleteAttachment(attachment.id);
      setConfirming(false);
      onChanged(
        changed ?? {
          ...attachment,
          state: 'deleted',
          url: null,
          thumbnailUrl: null,
          previewUrl: null,
          removal: { action: 'deleted', by: null, at: Date.now() },
        },
      );
    } catch (failure) {
      setDeleteError(
        failure instanceof ApiError && failure.status > 0 && failure.status < 500
          ? failure.message
          : t('redaction.deleteFailed'),
      );
    } finally {
      setDeleting(false);
    }
  }

  return (
    <div
      className={`media-moderated ${shown.thumbnailUrl && (attachment.kind === 'image' || attachment.kind === 'video') ? 'over-media' : 'beside-media'}`}
      data-attachment-id={attachment.id}
    >
      <AttachmentView attachment={shown} retryable={retryable} onOpen={onOpen} maxBox={maxBox} />
      {removal?.action === 'redacted' ? (
        <RemovalLine removal={removal} />
      ) : attachment.redacted ? (
        <span className="removal-note" data-removal="before-sending">
          <Icon name="shield" size={12} />
          {t('redaction.sentRedacted')}
        </span>
      ) : null}
      {canRedact || canDelete ? (
        <span className="media-admin-actions">
          {canRedact ? (
            <button
              type="button"
              className="button small"
              onClick={() => setEditing(true)}
              aria-label={t('redaction.redactSentName', { name: attachment.name })}
            >
              <Icon name="eyeOff" size={13} />
              {t('redaction.redactSent')}
            </button>
          ) : null}
          {canDelete ? (
            <button
              type="button"
              className="button small quiet-danger"
              onClick={() => setConfirming(true)}
              aria-label={t('redaction.deleteName', { name: attachment.name })}
            >
              <Icon name="trash" size={13} />
              {t('redaction.delete')}
            </button>
          ) : null}
        </span>
      ) : null}
      {editing && shown.url
        ? createPortal(
            <RedactionEditor
              name={attachment.name}
              src={shown.url}
              size={
                attachment.width && attachment.height
                  ? { width: attachment.width, height: attachment.height }
                  : null
              }
              scan={scans.get(attachment.id)}
              onDetect={() => scans.start(attachment.id)}
              onApply={async (boxes) => {
                const changed = await redactAttachment(attachment.id, boxes, { replace: true });
                setEditing(false);
                onChanged(changed);
              }}
              onClose={() => setEditing(false)}
              replacing
            />,
            document.body,
          )
        : null}
      {confirming
        ? createPortal(
            <ConfirmDialog
              title={t('redaction.deleteTitle')}
              confirmLabel={deleting ? t('redaction.deleting') : t('redaction.deleteConfirm')}
              busy={deleting}
              error={deleteError}
              danger
              onConfirm={() => void remove()}
              onCancel={() => setConfirming(false)}
            >
              <p>{t('redaction.deleteBody', { name: attachment.name })}</p>
            </ConfirmDialog>,
            document.body,
          )
        : null}
    </div>
  );
}
