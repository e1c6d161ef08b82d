// One attachment inline in the thread: a thumbnail sized before it loads, a player, or a
// file card, and a clear word for media that is still processing or could not be kept.
import { useState } from 'react';
import type { Attachment } from '../../shared/api-schemas.js';
import { api } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon, type IconName } from '../ui/icon.js';
import { MEDIA_MAX, mediaBox, type Box } from './media-size.js';

export const downloadUrl = (attachment: Attachment): string | null =>
  attachment.url ? `${attachment.url}${attachment.url.includes('?') ? '&' : '?'}download=1` : null;

export function fileIcon(attachment: Pick<Attachment, 'kind' | 'contentType'>): IconName {
  if (attachment.kind === 'image') return 'image';
  if (attachment.kind === 'video') return 'film';
  if (attachment.kind === 'audio') return 'music';
  if (attachment.kind === 'pdf' || attachment.contentType.startsWith('text/')) return 'fileText';
  return 'file';
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

function FileCard({ attachment, note }: { attachment: Attachment; note?: string | undefined }) {
  const { t, bytes } = useI18n();
  const download = downloadUrl(attachment);
  const extension = attachment.name.includes('.') ? attachment.name.split('.').pop()?.toUpperCase() : null;
  return (
    <div className="file-card">
      <span className={`file-icon ${attachment.kind}`}>
        <Icon name={fileIcon(attachment)} size={20} />
      </span>
      <span className="file-card-text">
        {attachment.url ? (
          <a className="file-name" href={attachment.url} target="_blank" rel="noopener noreferrer">
            {attachment.name}
          </a>
        ) : (
          <span className="file-name">{attachment.name}</span>
        )}
        <span className="file-meta">
          {[extension, attachment.size ? bytes(attachment.size) : null].filter(Boolean).join(' · ')}
          {note ? ` · ${note}` : ''}
        </span>
      </span>
      {download ? (
        <a
          className="icon-button"
          href={download}
          download={attachment.name}
          aria-label={t('media.downloadName', { name: attachment.name })}
          title={t('media.download')}
        >
          <Icon name="download" />
        </a>
      ) : null}
    </div>
  );
}

function StateCard({ attachment, retryable }: { attachment: Attachment; retryable: boolean }) {
  const { t } = useI18n();
  const [retrying, setRetrying] = useState(false);
  const [retryFailed, setRetryFailed] = useState(false);
  const message =
    attachment.state === 'too_large'
      ? t('media.tooLarge')
      : attachment.state === 'unavailable'
        ? t('media.unavailable')
        : attachment.state === 'deleted'
          ? t('media.deleted')
          : t('media.failed');
  async function retry() {
    setRetrying(true);
    setRetryFailed(false);
    try {
      await api('POST', `/api/attachments/${attachment.id}/retry`);
    } catch {
      setRetryFailed(true);
      setRetrying(false);
    }
  }
  return (
    <div
      className={`media-state ${attachment.state}`}
      role="group"
      aria-label={attachment.name}
      title={attachment.stateReason ?? undefined}
    >
      <Icon name={attachment.state === 'deleted' ? 'x' : 'warning'} size={18} />
      <span className="media-state-text">
        <span className="file-name">{attachment.name}</span>
        <span className="media-state-message">{message}</span>
        {retryFailed ? <span className="media-state-reason error">{t('media.retryFailed')}</span> : null}
      </span>
      {retryable && (attachment.state === 'failed' || attachment.state === 'unavailable') ? (
        <button type="button" className="button small" onClick={() => void retry()} disabled={retrying}>
          <Icon name="retry" size={14} />
          {retrying ? t('media.retrying') : t('common.tryAgain')}
        </button>
      ) : null}
    </div>
  );
}

export function AttachmentView({
  attachment,
  retryable,
  onOpen,
  maxBox = MEDIA_MAX,
}: {
  attachment: Attachment;
  /** Provider media can be fetched again; an agent's upload cannot. */
  retryable: boolean;
  onOpen(attachment: Attachment): void;
  maxBox?: Box;
}) {
  const { t, bytes } = useI18n();
  const [previewFailed, setPreviewFailed] = useState(false);
  const visual = attachment.kind === 'image' || attachment.kind === 'video';
  const box = mediaBox(attachment, maxBox);

  if (attachment.state === 'processing' && (visual || attachment.kind === 'pdf')) {
    return (
      <div
        className="media-placeholder"
        style={visual ? { width: box.width, height: box.height } : undefined}
        role="img"
        aria-label={t('media.processingName', { name: attachment.name })}
      >
        <span className="shimmer" aria-hidden="true" />
        <span className="media-placeholder-label">
          <span className="spinner small" aria-hidden="true" />
          {t('media.processing')}
        </span>
      </div>
    );
  }
  if (attachment.state !== 'ready' && attachment.state !== 'processing')
    return <StateCard attachment={attachment} retryable={retryable} />;

  if (attachment.kind === 'image' && attachment.thumbnailUrl && !previewFailed) {
    return (
      <button
        type="button"
        className="media-thumb"
        style={{ width: box.width, height: box.height }}
        onClick={() => onOpen(attachment)}
        aria-label={t('media.openName', { name: attachment.name })}
        data-attachment-id={attachment.id}
      >
        <img
          src={attachment.thumbnailUrl}
          alt={attachment.name}
          width={box.width}
          height={box.height}
          loading="lazy"
          decoding="async"
          draggable={false}
          onError={() => setPreviewFailed(true)}
        />
      </button>
    );
  }
  if (attachment.kind === 'video' && attachment.url) {
    return (
      <div className="media-video" style={{ width: box.width, height: box.height }}>
        <video
          controls
          preload="none"
          src={attachment.url}
          poster={attachment.thumbnailUrl ?? undefined}
          width={box.width}
          height={box.height}
          aria-label={attachment.name}
        />
        <button
          type="button"
          className="media-expand"
          onClick={() => onOpen(attachment)}
          aria-label={t('media.openName', { name: attachment.name })}
          title={t('media.openViewer')}
        >
          <Icon name="maximize" size={14} />
        </button>
      </div>
    );
  }
  if (attachment.kind === 'audio' && attachment.url) {
    return (
      <div className="audio-card">
        <span className="audio-card-head">
          <Icon name="music" size={16} />
          <span className="file-name">{attachment.name}</span>
          <span className="file-meta">
            {[attachment.durationMs ? formatDuration(attachment.durationMs) : null, bytes(attachment.size)]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </span>
        <audio controls preload="none" src={attachment.url} aria-label={attachment.name} />
      </div>
    );
  }
  return (
    <FileCard
      attachment={attachment}
      note={attachment.state === 'processing' ? t('media.processing') : undefined}
    />
  );
}
