// The image with its boxes, at the editor's scale: drag on the image to draw a box, drag a
// box to move it, drag a corner to resize it; proposals show dashed with their kind and are
// accepted with a click. Boxes are focusable: arrows move them (Shift: 10 px), Alt+arrows
// resize them, Delete removes them.
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import {
  growRect,
  handles,
  isDrawable,
  moveRect,
  rectFromPoints,
  resizeRect,
  toDisplay,
  toImagePoint,
  type Handle,
  type Point,
  type Rect,
  type Size,
} from './geometry.js';
import {
  addBox,
  newBoxId,
  removeBox,
  updateBox,
  type EditorBox,
  type Proposal,
  type RedactionDocument,
} from './redaction-document.js';

type Drag =
  | { kind: 'draw'; id: string; origin: Point; before: RedactionDocument; pointerId: number }
  | { kind: 'move'; id: string; origin: Point; start: Rect; before: RedactionDocument; pointerId: number }
  | { kind: 'resize'; id: string; handle: Handle; before: RedactionDocument; pointerId: number };

export interface CanvasProps {
  src: string;
  alt: string;
  image: Size;
  scale: number;
  document: RedactionDocument;
  proposals: readonly Proposal[];
  selectedId: string | null;
  onSelect(id: string | null): void;
  /** A change shown while a drag is under way (not yet undoable). */
  onPreview(next: RedactionDocument): void;
  /** A finished change: `before` is what undo goes back to. */
  onCommit(before: RedactionDocument, next: RedactionDocument): void;
  onAccept(proposal: Proposal): void;
  onImageLoad(natural: Size): void;
}

const arrowDelta: Record<string, Point> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

export function RedactionCanvas(props: CanvasProps) {
  const { t } = useI18n();
  const { image, scale, document, selectedId } = props;
  const surface = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const boxRefs = useRef(new Map<string, HTMLDivElement>());

  const pointOf = (event: PointerEvent): Point => {
    const rect = surface.current?.getBoundingClientRect();
    return toImagePoint({ x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) }, scale);
  };

  function begin(event: PointerEvent, next: Drag) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    surface.current?.setPointerCapture(event.pointerId);
    setDrag(next);
  }

  function onSurfaceDown(event: PointerEvent<HTMLDivElement>) {
    props.onSelect(null);
    begin(event, {
      kind: 'draw',
      id: newBoxId(),
      origin: pointOf(event),
      before: document,
      pointerId: event.pointerId,
    });
  }

  function onMove(event: PointerEvent<HTMLDivElement>) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const point = pointOf(event);
    if (drag.kind === 'draw') {
      const rect = rectFromPoints(drag.origin, point, image);
      props.onPreview(isDrawable(rect) ? addBox(drag.before, rect, drag.id) : drag.before);
    } else if (drag.kind === 'move') {
      const moved = moveRect(drag.start, point.x - drag.origin.x, point.y - drag.origin.y, image);
      props.onPreview(updateBox(drag.before, drag.id, moved));
    } else {
      const box = drag.before.boxes.find((candidate) => candidate.id === drag.id);
      if (box) props.onPreview(updateBox(drag.before, drag.id, resizeRect(box, drag.handle, point, image)));
    }
  }

  function onUp(event: PointerEvent<HTMLDivElement>) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    surface.current?.releasePointerCapture(event.pointerId);
    setDrag(null);
    if (document !== drag.before) {
      props.onCommit(drag.before, document);
      if (drag.kind === 'draw') {
        props.onSelect(drag.id);
        // The new box (already drawn while dragging) takes the focus, so the keyboard can adjust it at once.
        boxRefs.current.get(drag.id)?.focus({ preventScroll: true });
      }
    }
  }

  function onCancel() {
    if (!drag) return;
    props.onPreview(drag.before);
    setDrag(null);
  }

  function onBoxKeyDown(event: KeyboardEvent<HTMLDivElement>, box: EditorBox) {
    const delta = arrowDelta[event.key];
    if (delta) {
      event.preventDefault();
      const step = event.shiftKey ? 10 : 1;
      const next = event.altKey
        ? growRect(box, delta.x * step, delta.y * step, image)
        : moveRect(box, delta.x * step, delta.y * step, image);
      props.onCommit(document, updateBox(document, box.id, next));
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const index = document.boxes.findIndex((candidate) => candidate.id === box.id);
      props.onCommit(document, removeBox(document, box.id));
      const neighbour = document.boxes[index + 1] ?? document.boxes[index - 1];
      props.onSelect(neighbour?.id ?? null);
      if (neighbour) requestAnimationFrame(() => boxRefs.current.get(neighbour.id)?.focus());
      else surface.current?.focus();
    }
  }

  const accepted = new Set(Object.keys(document.decisions));
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  return (
    <div
      ref={surface}
      className={drag ? `redact-surface dragging ${drag.kind}` : 'redact-surface'}
      style={{ width, height }}
      onPointerDown={onSurfaceDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onCancel}
      onLostPointerCapture={() => drag && setDrag(null)}
      tabIndex={-1}
      data-scale={scale}
    >
      <img
        className="redact-image"
        src={props.src}
        alt={props.alt}
        width={width}
        height={height}
        draggable={false}
        onLoad={(event) =>
          props.onImageLoad({
            width: event.currentTarget.naturalWidth,
            height: event.currentTarget.naturalHeight,
          })
        }
      />
      {props.proposals
        .filter((proposal) => !accepted.has(proposal.id))
        .map((proposal) => {
          const shown = toDisplay(proposal.box, scale);
          const kind = t(`redaction.kind.${proposal.kind}`);
          return (
            <button
              key={proposal.id}
              type="button"
              className={`redact-proposal kind-${proposal.kind}`}
              style={{ left: shown.x, top: shown.y, width: shown.width, height: shown.height }}
              onPointerDown={(event) => event.stopPropagation()}
              onClick={() => props.onAccept(proposal)}
              aria-label={t('redaction.acceptName', { kind, text: proposal.text })}
              title={t('redaction.acceptName', { kind, text: proposal.text })}
              data-kind={proposal.kind}
            >
              <span className="redact-tag">{kind}</span>
            </button>
          );
        })}
      {document.boxes.map((box, index) => {
        const shown = toDisplay(box, scale);
        const selected = box.id === selectedId;
        return (
          <div
            key={box.id}
            ref={(element) => {
              if (element) boxRefs.current.set(box.id, element);
              else boxRefs.current.delete(box.id);
            }}
            className={selected ? 'redact-box selected' : 'redact-box'}
            style={{ left: shown.x, top: shown.y, width: shown.width, height: shown.height }}
            role="button"
            tabIndex={0}
            aria-pressed={selected}
            aria-label={t('redaction.boxLabel', {
              number: index + 1,
              width: Math.round(box.width),
              height: Math.round(box.height),
              x: Math.round(box.x),
              y: Math.round(box.y),
            })}
            aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Delete"
            data-box-id={box.id}
            onFocus={() => props.onSelect(box.id)}
            onKeyDown={(event) => onBoxKeyDown(event, box)}
            onPointerDown={(event) => {
              props.onSelect(box.id);
              event.currentTarget.focus({ preventScroll: true });
              begin(event, {
                kind: 'move',
                id: box.id,
                origin: pointOf(event),
                start: box,
                before: document,
                pointerId: event.pointerId,
              });
            }}
          >
            {box.kind ? <span className="redact-tag solid">{t(`redaction.kind.${box.kind}`)}</span> : null}
            {selected
              ? handles.map((handle) => (
                  <span
                    key={handle}
                    className={`redact-handle ${handle}`}
                    aria-hidden="true"
                    onPointerDown={(event) =>
                      begin(event, {
                        kind: 'resize',
                        id: box.id,
                        handle,
                        before: document,
                        pointerId: event.pointerId,
                      })
                    }
                  />
                ))
              : null}
          </div>
        );
      })}
    </div>
  );
}
