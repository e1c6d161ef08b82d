// A file waiting in the composer: preview, name, size, upload progress, what the channel
// will do with it, and actions (remove, retry; more can be passed in, e.g. an editor).
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/error-text.js';
import { fileIcon } from '../thread/attachment-view.js';
import { Icon } from '../ui/icon.js';
import type { FileHint } from './channel-hints.js';
import type { UploadItem } from './use-uploads.js';

const kindOf = (type: string) =>
  type.startsWith('image/')
    ? 'image'
    : type.startsWith('video/')
      ? 'video'
      : type.startsWith('audio/')
        ? 'audio'
        : type === 'application/pdf'
          ? 'pdf'
          : 'file';

export function AttachmentChip({
  item,
  hint,
  onRemove,
  onRetry,
  actions,
}: {
  item: UploadItem;
  hint: FileHint | undefined;
  onRemove(id: string): void;
  onRetry(id: string): void;
  /** Extra buttons shown beside "remove" (for instance an image editor). */
  actions?: ReactNode;
}) {
  const { t, bytes, number } = useI18n();
  const type = item.attachment?.contentType ?? item.type;
  return (
    <li
      className={`chip ${item.status}`}
      data-upload-status={item.status}
      data-attachment-id={item.attachment?.id}
      aria-label={item.name}
    >
      <span className="chip-preview">
        {item.previewUrl ? (
          <img src={item.previewUrl} alt="" />
        ) : (
          <Icon name={fileIcon({ kind: kindOf(type), contentType: type })} size={18} />
        )}
      </span>
      <span className="chip-text">
        <span className="chip-name" title={item.name}>
          {item.name}
        </span>
        {item.attachment?.redacted ? (
          <span className="chip-badge redacted" data-testid="redacted-badge">
            <Icon name="shield" size={11} />
            {t('redaction.redacted')}
          </span>
        ) : null}
        <span className="chip-meta">
          {item.status === 'uploading' ? (
            <>{t('composer.uploading', { percent: number(item.progress, { style: 'percent' }) })}</>
          ) : item.status === 'failed' ? (
            <span className="error-text">
              {item.error?.code === 'network'
                ? t('composer.uploadInterrupted')
                : item.error
                  ? errorText(t, item.error)
                  : t('composer.uploadFailed')}
            </span>
          ) : (
            bytes(item.size)
          )}
        </span>
        {item.status !== 'failed' && hint ? (
          <span className={`chip-hint ${hint.tone}`} data-action={hint.decision.action}>
            {hint.text}
          </span>
        ) : null}
      </span>
      {item.status === 'uploading' ? (
        <span
          className="chip-progress"
          role="progressbar"
          aria-label={t('composer.uploadProgress', { name: item.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(item.progress * 100)}
        >
          <span style={{ width: `${Math.round(item.progress * 100)}%` }} />
        </span>
      ) : null}
      <span className="chip-actions">
        {actions}
        {item.status === 'failed' ? (
          <button
            type="button"
            className="icon-button small"
            onClick={() => onRetry(item.id)}
            aria-label={t('composer.retryUpload', { name: item.name })}
            title={t('common.tryAgain')}
          >
            <Icon name="retry" size={14} />
          </button>
        ) : null}
        <button
          type="button"
          className="icon-button small"
          onClick={() => onRemove(item.id)}
          aria-label={t('composer.remove', { name: item.name })}
          title={t('composer.removeShort')}
        >
          <Icon name="x" size={14} />
        </button>
      </span>
    </li>
  );
}
