// An undo history of immutable snapshots: every change pushes the previous state; undo and
// redo walk back and forth. A drag changes the present many times and is recorded once.

export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
}

/** Enough for any editing session; the oldest steps fall off beyond it. */
export const HISTORY_LIMIT = 100;

export const createHistory = <T>(present: T): History<T> => ({ past: [], present, future: [] });

/** A new present; the old one becomes undoable and anything redoable is dropped. */
export function push<T>(history: History<T>, next: T): History<T> {
  if (Object.is(next, history.present)) return history;
  return record(history, history.present, next);
}

/** Shows a change without recording it (while a drag is under way). */
export function preview<T>(history: History<T>, next: T): History<T> {
  return { ...history, present: next };
}

/** Records a change that started at `before` (a drag's first state) and ends at `next`. */
export function record<T>(history: History<T>, before: T, next: T): History<T> {
  if (Object.is(before, next)) return { ...history, present: next };
  return { past: [...history.past, before].slice(-HISTORY_LIMIT), present: next, future: [] };
}

export const canUndo = <T>(history: History<T>): boolean => history.past.length > 0;
export const canRedo = <T>(history: History<T>): boolean => history.future.length > 0;

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
  };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
