/** @jsxImportSource preact */
// An image at full size over the page, with download, previous and next (arrow keys), and
// Escape or a click outside to close.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { VisitorAttachment } from '../../shared/webchat-api.js';
import type { Catalog } from '../i18n/index.js';
import { Icon } from './icons.js';

export interface ViewerProps {
  attachment: VisitorAttachment;
  /** A local preview to show while the original loads (the visitor's own upload). */
  placeholder: string | null;
  index: number;
  total: number;
  t: Catalog;
  onClose(): void;
  onStep(delta: number): void;
  onDownload(attachment: VisitorAttachment): void;
}

export function Viewer(props: ViewerProps): JSX.Element {
  const { attachment, t } = props;
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') props.onClose();
      else if (event.key === 'ArrowLeft') props.onStep(-1);
      else if (event.key === 'ArrowRight') props.onStep(1);
      else return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [props.onClose, props.onStep]);

  // The display-size copy where there is one (a heavy photo, or one a browser cannot draw, such
  // as HEIC); the download button still gives the file itself.
  const src = attachment.previewUrl ?? attachment.url ?? props.placeholder;
  return (
    <div
      class="sb-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={attachment.name}
      onClick={(event) => event.target === event.currentTarget && props.onClose()}
    >
      <div class="sb-viewer-bar">
        <span class="sb-viewer-name">
          {attachment.name}
          {props.total > 1 && <span class="sb-viewer-count">{t.imageOf(props.index + 1, props.total)}</span>}
        </span>
        {attachment.downloadUrl && (
          <button
            type="button"
            class="sb-viewer-button sb-viewer-download"
            onClick={() => props.onDownload(attachment)}
            title={t.download}
          >
            <Icon name="download" />
            <span>{t.download}</span>
          </button>
        )}
        <button
          type="button"
          ref={closeButton}
          class="sb-viewer-button sb-viewer-close"
          onClick={props.onClose}
          aria-label={t.close}
          title={t.close}
        >
          <Icon name="close" />
        </button>
      </div>
      {props.total > 1 && (
        <button
          type="button"
          class="sb-viewer-step sb-prev"
          onClick={() => props.onStep(-1)}
          aria-label={t.previous}
        >
          <Icon name="left" size={26} />
        </button>
      )}
      {src && (
        <img
          class="sb-viewer-img"
          src={src}
          alt={attachment.name}
          width={attachment.width ?? undefined}
          height={attachment.height ?? undefined}
        />
      )}
      {props.total > 1 && (
        <button
          type="button"
          class="sb-viewer-step sb-next"
          onClick={() => props.onStep(1)}
          aria-label={t.next}
        >
          <Icon name="right" size={26} />
        </button>
      )}
    </div>
  );
}
