// The full-size viewer: one medium at a time over the app, zoom, previous/next across every
// medium of the ticket, download, and keyboard control (Esc, ←, →, +, −, 0). Focus stays in
// the dialog while it is open and returns where it was when it closes.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Attachment } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { downloadUrl } from '../thread/attachment-view.js';
import { Icon } from '../ui/icon.js';

const ZOOMS = [1, 1.5, 2, 3, 4];

export interface ViewerItem {
  attachment: Attachment;
  at: number;
  author: string;
}

export function Lightbox({
  items,
  index,
  onIndex,
  onClose,
  onNeedOlder,
}: {
  items: ViewerItem[];
  index: number;
  onIndex(index: number): void;
  onClose(): void;
  /** Called when the agent goes back past the oldest medium loaded so far. */
  onNeedOlder?: () => void;
}) {
  const { t, bytes, date, number } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const [zoom, setZoom] = useState(1);
  const [loaded, setLoaded] = useState(false);
  const imageRef = useRef<HTMLImageElement>(null);
  const fit = useRef<{ width: number; height: number } | null>(null);
  const item = items[index];
  const attachment = item?.attachment;

  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    const { overflow } = document.body.style;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      previous?.focus();
    };
  }, []);

  useEffect(() => {
    setZoom(1);
    setLoaded(false);
  }, [attachment?.id]);

  // Fetch the neighbours' full-size images ahead, so previous/next shows at once.
  useEffect(() => {
    for (const neighbour of [items[index - 1], items[index + 1]]) {
      const candidate = neighbour?.attachment;
      if (candidate?.kind === 'image' && candidate.url) new Image().src = candidate.url;
    }
  }, [items, index]);

  if (!item || !attachment) return null;
  const hasPrevious = index > 0 || onNeedOlder !== undefined;
  const hasNext = index < items.length - 1;
  const previous = () => {
    if (index > 0) onIndex(index - 1);
    else onNeedOlder?.();
  };
  const next = () => hasNext && onIndex(index + 1);
  const rememberFit = () => {
    if (zoom === 1 && imageRef.current)
      fit.current = { width: imageRef.current.clientWidth, height: imageRef.current.clientHeight };
  };
  const zoomBy = (step: number) => {
    rememberFit();
    setZoom((current) => {
      const at = ZOOMS.indexOf(current);
      return ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + step))] ?? 1;
    });
  };

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      previous();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      next();
    } else if (event.key === '+' || event.key === '=') {
      zoomBy(1);
    } else if (event.key === '-') {
      zoomBy(-1);
    } else if (event.key === '0') {
      setZoom(1);
    } else if (event.key === 'Tab') {
      const focusable = Array.from(
        dialog.current?.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], video[controls]') ??
          [],
      );
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  const download = downloadUrl(attachment);
  const image = attachment.kind === 'image';
  return (
    <div
      className="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={t('viewer.label', { name: attachment.name })}
      ref={dialog}
      onKeyDown={onKeyDown}
    >
      <header className="lightbox-bar">
        <div className="lightbox-title">
          <span className="lightbox-name">{attachment.name}</span>
          <span className="lightbox-meta">
            {[
              item.author,
              date(item.at, { dateStyle: 'medium', timeStyle: 'short' }),
              attachment.size ? bytes(attachment.size) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
        <span className="lightbox-counter" aria-live="polite">
          {t('viewer.counter', { index: index + 1, total: items.length })}
        </span>
        <div className="lightbox-actions">
          {image ? (
            <>
              <button
                type="button"
                className="icon-button dark"
                onClick={() => zoomBy(-1)}
                disabled={zoom === ZOOMS[0]}
                aria-label={t('viewer.zoomOut')}
                title={t('viewer.zoomOut')}
              >
                <Icon name="zoomOut" size={18} />
              </button>
              <span className="lightbox-zoom">
                {zoom === 1 ? t('viewer.fit') : number(zoom, { style: 'percent' })}
              </span>
              <button
                type="button"
                className="icon-button dark"
                onClick={() => zoomBy(1)}
                disabled={zoom === ZOOMS[ZOOMS.length - 1]}
                aria-label={t('viewer.zoomIn')}
                title={t('viewer.zoomIn')}
              >
                <Icon name="zoomIn" size={18} />
              </button>
            </>
          ) : null}
          {download ? (
            <a
              className="icon-button dark"
              href={download}
              download={attachment.name}
              aria-label={t('media.downloadName', { name: attachment.name })}
              title={t('media.download')}
            >
              <Icon name="download" size={18} />
            </a>
          ) : null}
          <button
            type="button"
            ref={closeButton}
            className="icon-button dark"
            onClick={onClose}
            aria-label={t('viewer.close')}
            title={t('viewer.close')}
          >
            <Icon name="x" size={20} />
          </button>
        </div>
      </header>
      <div
        className={zoom > 1 ? 'lightbox-stage zoomed' : 'lightbox-stage'}
        onClick={(event) => {
          if (event.target === event.currentTarget) onClose();
        }}
      >
        {image ? (
          <img
            key={attachment.id}
            className={loaded ? 'lightbox-image loaded' : 'lightbox-image'}
            src={attachment.url ?? attachment.thumbnailUrl ?? ''}
            alt={attachment.name}
            onLoad={() => setLoaded(true)}
            ref={imageRef}
            onClick={() => {
              rememberFit();
              setZoom((current) => (current === 1 ? 2 : 1));
            }}
            style={
              zoom > 1 && fit.current
                ? {
                    width: fit.current.width * zoom,
                    height: fit.current.height * zoom,
                    maxWidth: 'none',
                    maxHeight: 'none',
                  }
                : attachment.thumbnailUrl && !loaded
                  ? {
                      backgroundImage: `url(${attachment.thumbnailUrl})`,
                      aspectRatio:
                        attachment.width && attachment.height
                          ? `${attachment.width} / ${attachment.height}`
                          : undefined,
                    }
                  : undefined
            }
            draggable={false}
          />
        ) : attachment.kind === 'video' && attachment.url ? (
          <video
            key={attachment.id}
            className="lightbox-video"
            src={attachment.url}
            poster={attachment.thumbnailUrl ?? undefined}
            controls
            autoPlay
          />
        ) : null}
      </div>
      <button
        type="button"
        className="lightbox-nav previous"
        onClick={previous}
        disabled={!hasPrevious}
        aria-label={t('viewer.previous')}
        title={t('viewer.previous')}
      >
        <Icon name="chevronLeft" size={24} />
      </button>
      <button
        type="button"
        className="lightbox-nav next"
        onClick={next}
        disabled={!hasNext}
        aria-label={t('viewer.next')}
        title={t('viewer.next')}
      >
        <Icon name="chevronRight" size={24} />
      </button>
    </div>
  );
}
