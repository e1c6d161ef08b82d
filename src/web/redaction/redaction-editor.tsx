// The redaction editor: a dialog over the app with the image fitted to the view, zoom,
// boxes the agent draws, proposals from the personal-data scan, undo and redo, and "Apply",
// which hands whole-pixel boxes in the image's own pixels to the caller to burn in.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RedactionBox } from '../../shared/redaction-api.js';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import { centeredBox, fitScale, toRedactionBox, type Size } from './geometry.js';
import { EditorToolbar, ZOOM_STEPS } from './editor-toolbar.js';
import { ProposalsPanel } from './proposals-panel.js';
import { RedactionCanvas } from './redaction-canvas.js';
import {
  acceptAll,
  acceptProposal,
  addBox as addBoxTo,
  newBoxId,
  dismissProposal,
  emptyDocument,
  pendingProposals,
  proposalsOf,
  type Proposal,
  type RedactionDocument,
} from './redaction-document.js';
import { canRedo, canUndo, createHistory, preview, push, record, redo, undo } from './undo-history.js';
import type { ScanState } from './use-pii-scans.js';

const STAGE_PADDING = 32;

export interface RedactionEditorProps {
  name: string;
  src: string;
  /** The image's size when known beforehand (it is measured when it loads otherwise). */
  size?: Size | null;
  scan: ScanState | undefined;
  onDetect(): void;
  /** Burns the boxes; the editor closes through `onClose` when the caller is done. */
  onApply(boxes: RedactionBox[]): Promise<void>;
  onClose(): void;
  /** An attachment already sent: applying replaces it for everyone. */
  replacing?: boolean;
}

/** What the shortcuts read of a key press, from React or from the page. */
interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  defaultPrevented: boolean;
  preventDefault(): void;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLButtonElement ||
  target instanceof HTMLAnchorElement ||
  target instanceof HTMLInputElement;

export function RedactionEditor(props: RedactionEditorProps) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<Size | null>(props.size ?? null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [view, setView] = useState<Size>({ width: 0, height: 0 });
  const [zoom, setZoom] = useState(0);
  const [history, setHistory] = useState(() => createHistory<RedactionDocument>(emptyDocument));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const document = history.present;

  // Focus moves into the dialog and returns where it was when it closes; the page stays still.
  useLayoutEffect(() => {
    const previous =
      window.document.activeElement instanceof HTMLElement ? window.document.activeElement : null;
    dialog.current?.focus();
    const { overflow } = window.document.body.style;
    window.document.body.style.overflow = 'hidden';
    return () => {
      window.document.body.style.overflow = overflow;
      previous?.focus();
    };
  }, []);

  // A button that was focused and became disabled (undo with nothing left) hands the focus to
  // the page: keys pressed then still reach the editor, which takes the focus back.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent) => {
      const element = dialog.current;
      if (!element || (event.target instanceof Node && element.contains(event.target))) return;
      if (event.target !== window.document.body) return;
      element.focus();
      keyHandler.current(event);
    };
    window.document.addEventListener('keydown', listener);
    return () => window.document.removeEventListener('keydown', listener);
  }, []);

  // The natural size, for an image whose size was not known beforehand.
  useEffect(() => {
    if (natural) return;
    const probe = new Image();
    probe.onload = () => setNatural({ width: probe.naturalWidth, height: probe.naturalHeight });
    probe.onerror = () => setLoadFailed(true);
    probe.src = props.src;
  }, [props.src, natural]);

  useLayoutEffect(() => {
    const element = stage.current;
    if (!element) return;
    const measure = () =>
      setView({
        width: element.clientWidth - STAGE_PADDING * 2,
        height: element.clientHeight - STAGE_PADDING * 2,
      });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const fit = natural ? fitScale(natural, view) : 1;
  const scale = fit * (ZOOM_STEPS[zoom] ?? 1);

  const proposals = useMemo<Proposal[]>(() => {
    if (!natural || props.scan?.status !== 'done') return [];
    const { result } = props.scan;
    const scanned = result.width && result.height ? { width: result.width, height: result.height } : natural;
    return proposalsOf(result.findings, scanned, natural);
  }, [props.scan, natural]);

  // A button that acted on a proposal may go away with it: the dialog keeps the focus, so
  // the keyboard goes on working.
  const keepFocus = () =>
    requestAnimationFrame(() => {
      const active = window.document.activeElement;
      if (!active || active === window.document.body || !dialog.current?.contains(active))
        dialog.current?.focus();
    });
  const change = (next: RedactionDocument) => {
    setHistory((current) => push(current, next));
    keepFocus();
  };
  /** A box in the middle of the image, selected and focused: drawing without a pointer. */
  function addBox() {
    if (!natural) return;
    const id = newBoxId();
    change(addBoxTo(document, centeredBox(natural), id));
    setSelectedId(id);
    requestAnimationFrame(() =>
      dialog.current?.querySelector<HTMLElement>(`[data-box-id="${id}"]`)?.focus({ preventScroll: true }),
    );
  }
  const accept = (proposal: Proposal) => change(acceptProposal(document, proposal));
  const dismiss = (proposal: Proposal) => change(dismissProposal(document, proposal));
  const boxes = natural ? document.boxes.map((box) => toRedactionBox(box, natural)) : [];
  const pending = pendingProposals(document, proposals).length;

  async function apply() {
    if (!boxes.length || applying) return;
    setApplying(true);
    setApplyError(null);
    try {
      await props.onApply(boxes);
    } catch (failure) {
      setApplyError(
        failure instanceof ApiError && failure.status > 0 && failure.status < 500
          ? failure.message
          : t('redaction.applyFailed'),
      );
      setApplying(false);
    }
  }

  function onKeyDown(event: KeyInput) {
    if (event.defaultPrevented) return;
    const mod = event.ctrlKey || event.metaKey;
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!applying) props.onClose();
    } else if (mod && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      setHistory((current) => (event.shiftKey ? redo(current) : undo(current)));
    } else if (mod && event.key.toLowerCase() === 'y') {
      event.preventDefault();
      setHistory(redo);
    } else if (event.key === 'Enter' && !isTyping(event.target)) {
      event.preventDefault();
      void apply();
    } else if (!mod && (event.key === '+' || event.key === '=')) {
      setZoom((value) => Math.min(ZOOM_STEPS.length - 1, value + 1));
    } else if (!mod && event.key === '-') {
      setZoom((value) => Math.max(0, value - 1));
    } else if (!mod && !event.altKey && event.key.toLowerCase() === 'n' && natural) {
      event.preventDefault();
      addBox();
    } else if (!mod && event.key === '0') {
      setZoom(0);
    } else if (event.key === 'Tab') {
      const focusable = Array.from(
        dialog.current?.querySelectorAll<HTMLElement>('button:not([disabled]), [tabindex="0"]') ?? [],
      );
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && window.document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && window.document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  return (
    <div
      className="redact-backdrop"
      // A click beside the dialog closes it only while there is nothing to lose.
      onPointerDown={(event) =>
        event.target === event.currentTarget && !canUndo(history) && !applying && props.onClose()
      }
    >
      <div
        ref={dialog}
        className="redact-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="redact-title"
        aria-describedby="redact-help"
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="redact-header">
          <span className="redact-header-icon" aria-hidden="true">
            <Icon name="eyeOff" size={16} />
          </span>
          <div className="redact-heading">
            <h2 id="redact-title">{t('redaction.title')}</h2>
            <span className="redact-name" title={props.name}>
              {props.name}
            </span>
          </div>
          <EditorToolbar
            canUndo={canUndo(history)}
            canRedo={canRedo(history)}
            onAddBox={natural ? addBox : undefined}
            onUndo={() => setHistory(undo)}
            onRedo={() => setHistory(redo)}
            zoom={zoom}
            scale={scale}
            onZoom={setZoom}
          />
          <button
            type="button"
            className="icon-button"
            onClick={props.onClose}
            aria-label={t('redaction.close')}
            title={t('redaction.close')}
          >
            <Icon name="x" />
          </button>
        </header>
        <div className="redact-body">
          <div ref={stage} className={zoom > 0 ? 'redact-stage zoomed' : 'redact-stage'}>
            {loadFailed ? (
              <p className="redact-load-error" role="alert">
                {t('redaction.loadFailed')}
              </p>
            ) : natural && view.width > 0 ? (
              <RedactionCanvas
                src={props.src}
                alt={props.name}
                image={natural}
                scale={scale}
                document={document}
                proposals={proposals}
                selectedId={selectedId}
                onSelect={setSelectedId}
                onPreview={(next) => setHistory((current) => preview(current, next))}
                onCommit={(before, next) => setHistory((current) => record(current, before, next))}
                onAccept={accept}
                onImageLoad={(size) => {
                  if (!natural || size.width !== natural.width || size.height !== natural.height)
                    setNatural(size);
                }}
              />
            ) : (
              <span className="spinner" role="status" aria-label={t('common.loading')} />
            )}
          </div>
          <ProposalsPanel
            scan={props.scan}
            proposals={proposals}
            document={document}
            onDetect={props.onDetect}
            onAccept={accept}
            onDismiss={dismiss}
            onAcceptAll={() => change(acceptAll(document, proposals))}
          />
        </div>
        <footer className="redact-footer">
          <p id="redact-help" className="redact-help">
            {t('redaction.help')}
          </p>
          <span className="spacer" />
          {applyError ? (
            <span className="send-error" role="alert">
              {applyError}
            </span>
          ) : pending ? (
            <span className="redact-pending">{t('redaction.pendingNote', { count: pending })}</span>
          ) : null}
          <button type="button" className="button" onClick={props.onClose} disabled={applying}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => void apply()}
            disabled={!boxes.length || applying}
            data-testid="redact-apply"
          >
            {applying
              ? t('redaction.applying')
              : !boxes.length
                ? t('redaction.applyNone')
                : props.replacing
                  ? t('redaction.applyReplace', { count: boxes.length })
                  : t('redaction.apply', { count: boxes.length })}
            {!applying ? <kbd>↵</kbd> : null}
          </button>
        </footer>
      </div>
    </div>
  );
}
