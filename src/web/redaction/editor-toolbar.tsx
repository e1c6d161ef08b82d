// The editor's toolbar: undo and redo, zoom out, the zoom level, zoom in, and fit.
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';

/** Zoom steps, as multiples of the scale that fits the whole image in the view. */
export const ZOOM_STEPS = [1, 1.5, 2, 3, 4] as const;

export function EditorToolbar({
  onAddBox,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  zoom,
  scale,
  onZoom,
}: {
  /** Absent until the image is loaded. */
  onAddBox: (() => void) | undefined;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  /** The index of the zoom step. */
  zoom: number;
  /** The display scale it gives (1 = the image's own pixels). */
  scale: number;
  onZoom(step: number): void;
}) {
  const { t, number } = useI18n();
  return (
    <div className="redact-tools" role="toolbar" aria-label={t('redaction.tools')}>
      <button
        type="button"
        className="icon-button"
        onClick={onAddBox}
        disabled={!onAddBox}
        aria-label={t('redaction.addBox')}
        title={`${t('redaction.addBox')} (N)`}
        aria-keyshortcuts="N"
      >
        <Icon name="plus" />
      </button>
      <span className="redact-divider" aria-hidden="true" />
      <button
        type="button"
        className="icon-button"
        onClick={onUndo}
        disabled={!canUndo}
        aria-label={t('redaction.undo')}
        title={`${t('redaction.undo')} (Ctrl+Z)`}
        aria-keyshortcuts="Control+Z"
      >
        <Icon name="undo" />
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={onRedo}
        disabled={!canRedo}
        aria-label={t('redaction.redo')}
        title={`${t('redaction.redo')} (Ctrl+Shift+Z)`}
        aria-keyshortcuts="Control+Shift+Z"
      >
        <Icon name="redo" />
      </button>
      <span className="redact-divider" aria-hidden="true" />
      <button
        type="button"
        className="icon-button"
        onClick={() => onZoom(Math.max(0, zoom - 1))}
        disabled={zoom === 0}
        aria-label={t('redaction.zoomOut')}
        title={t('redaction.zoomOut')}
      >
        <Icon name="zoomOut" />
      </button>
      <output className="redact-zoom" aria-label={t('redaction.zoomLevel')} aria-live="polite">
        {number(scale, { style: 'percent', maximumFractionDigits: 0 })}
      </output>
      <button
        type="button"
        className="icon-button"
        onClick={() => onZoom(Math.min(ZOOM_STEPS.length - 1, zoom + 1))}
        disabled={zoom === ZOOM_STEPS.length - 1}
        aria-label={t('redaction.zoomIn')}
        title={t('redaction.zoomIn')}
      >
        <Icon name="zoomIn" />
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={() => onZoom(0)}
        disabled={zoom === 0}
        aria-label={t('redaction.fit')}
        title={t('redaction.fit')}
      >
        <Icon name="fit" />
      </button>
    </div>
  );
}
