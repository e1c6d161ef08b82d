/** @jsxImportSource preact */
// Media in the thread: image thumbnails that open the viewer, players for audio and video,
// cards with a download button for everything else, and the visitor's files on their way
// (local preview and upload progress).
import type { JSX } from 'preact';
import type { VisitorAttachment } from '../../shared/webchat-api.js';
import { formatBytes, type Catalog } from '../i18n/index.js';
import type { PendingFile } from '../thread.js';
import { Icon } from './icons.js';

export interface AttachmentActions {
  t: Catalog;
  language: string;
  previews: Record<string, string>;
  onOpen(attachment: VisitorAttachment): void;
  onDownload(attachment: VisitorAttachment): void;
}

const MAX_W = 236;
const MAX_H = 280;

function boxOf(width: number | null, height: number | null): { width: number; height: number } {
  if (!width || !height) return { width: MAX_W, height: 168 };
  const scale = Math.min(MAX_W / width, MAX_H / height, 1);
  return { width: Math.max(96, Math.round(width * scale)), height: Math.max(72, Math.round(height * scale)) };
}

const extension = (name: string, contentType: string): string => {
  const dot = name.lastIndexOf('.');
  const fromName = dot > 0 ? name.slice(dot + 1) : '';
  return (fromName || contentType.split('/')[1] || 'file').slice(0, 4).toUpperCase();
};

function FileBadge({ name, contentType }: { name: string; contentType: string }): JSX.Element {
  const kind = contentType === 'application/pdf' ? 'pdf' : contentType.startsWith('text/') ? 'text' : 'file';
  return (
    <span class={`sb-badge sb-badge-${kind}`}>
      <Icon name="file" size={22} />
      <span class="sb-badge-ext">{extension(name, contentType)}</span>
    </span>
  );
}

export function AttachmentView({
  attachment,
  actions,
}: {
  attachment: VisitorAttachment;
  actions: AttachmentActions;
}) {
  const { t, language } = actions;
  if (attachment.kind === 'image') {
    const src = attachment.thumbnailUrl ?? actions.previews[attachment.id] ?? null;
    const box = boxOf(attachment.width, attachment.height);
    const openable = attachment.url !== null || src !== null;
    return (
      <button
        type="button"
        class="sb-image"
        style={{ width: `${box.width}px`, height: `${box.height}px` }}
        onClick={() => openable && actions.onOpen(attachment)}
        aria-label={`${t.open}: ${attachment.name}`}
        title={attachment.name}
      >
        {src ? (
          <img src={src} alt={attachment.name} loading="lazy" draggable={false} />
        ) : (
          <span class="sb-shimmer">{attachment.state === 'processing' ? t.processing : t.unavailable}</span>
        )}
      </button>
    );
  }
  if (attachment.kind === 'video' && attachment.url) {
    return <video class="sb-video" src={attachment.url} controls preload="metadata" />;
  }
  if (attachment.kind === 'audio' && attachment.url) {
    return <audio class="sb-audio" src={attachment.url} controls preload="metadata" />;
  }
  const available = attachment.downloadUrl !== null;
  return (
    <div class="sb-file">
      {attachment.thumbnailUrl ? (
        <img class="sb-file-thumb" src={attachment.thumbnailUrl} alt="" loading="lazy" />
      ) : (
        <FileBadge name={attachment.name} contentType={attachment.contentType} />
      )}
      <span class="sb-file-text">
        <span class="sb-file-name" title={attachment.name}>
          {attachment.name}
        </span>
        <span class="sb-file-meta">
          {attachment.state === 'processing'
            ? t.processing
            : available
              ? formatBytes(attachment.size, language)
              : t.unavailable}
        </span>
      </span>
      {available && (
        <button
          type="button"
          class="sb-icon-button sb-file-download"
          onClick={() => actions.onDownload(attachment)}
          aria-label={`${t.download}: ${attachment.name}`}
          title={t.download}
        >
          <Icon name="download" />
        </button>
      )}
    </div>
  );
}

/** One of the visitor's files while it uploads (in the composer, or in a message on its way). */
export function PendingView({
  file,
  t,
  language,
  onRemove,
}: {
  file: PendingFile;
  t: Catalog;
  language: string;
  onRemove?: () => void;
}): JSX.Element {
  const percent = Math.round(file.progress * 100);
  return (
    <div
      class={`sb-pending ${file.state === 'error' ? 'sb-pending-error' : ''}`}
      title={file.error ?? file.name}
    >
      {file.previewUrl ? (
        <img class="sb-pending-img" src={file.previewUrl} alt={file.name} />
      ) : (
        <span class="sb-pending-file">
          <FileBadge name={file.name} contentType={file.type} />
          <span class="sb-pending-name">{file.name}</span>
          <span class="sb-pending-size">{formatBytes(file.size, language)}</span>
        </span>
      )}
      {file.state === 'uploading' && file.previewUrl && <span class="sb-percent">{percent}%</span>}
      {file.state === 'uploading' && (
        <span
          class="sb-progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label={file.name}
        >
          <span style={{ width: `${Math.max(4, percent)}%` }} />
        </span>
      )}
      {file.state === 'error' && (
        <span class="sb-pending-alert">
          <Icon name="alert" size={16} />
          <span class="sb-alert-text">{t.uploadFailed}</span>
        </span>
      )}
      {onRemove && (
        <button
          type="button"
          class="sb-pending-remove"
          onClick={onRemove}
          aria-label={`${t.remove}: ${file.name}`}
        >
          <Icon name="close" size={12} />
        </button>
      )}
    </div>
  );
}
