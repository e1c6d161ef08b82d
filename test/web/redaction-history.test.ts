// Undo in the redaction editor: every change is undoable, a drag is one step, redo comes
// back until something new is done, and the proposals' decisions are part of each step.
import { describe, expect, it } from 'vitest';
import {
  acceptAll,
  acceptProposal,
  addBox,
  dismissProposal,
  emptyDocument,
  pendingProposals,
  proposalsOf,
  removeBox,
  updateBox,
} from '../../src/web/redaction/redaction-document.js';
import {
  canRedo,
  canUndo,
  createHistory,
  HISTORY_LIMIT,
  preview,
  push,
  record,
  redo,
  undo,
} from '../../src/web/redaction/undo-history.js';

describe('undo history', () => {
  it('undoes and redoes each change in order', () => {
    let history = createHistory(0);
    expect(canUndo(history)).toBe(false);
    history = push(history, 1);
    history = push(history, 2);
    history = undo(history);
    expect(history.present).toBe(1);
    expect(canRedo(history)).toBe(true);
    history = undo(history);
    expect(history.present).toBe(0);
    expect(undo(history)).toBe(history);
    history = redo(redo(history));
    expect(history.present).toBe(2);
    expect(redo(history)).toBe(history);
  });

  it('drops what could be redone once something new is done', () => {
    let history = push(push(createHistory('a'), 'b'), 'c');
    history = push(undo(history), 'd');
    expect(history.present).toBe('d');
    expect(canRedo(history)).toBe(false);
    expect(undo(history).present).toBe('b');
  });

  it('records a drag as one step, however many times it moved', () => {
    let history = createHistory(0);
    const before = history.present;
    for (let step = 1; step <= 30; step++) history = preview(history, step);
    expect(history.past).toEqual([]);
    history = record(history, before, history.present);
    expect(history.present).toBe(30);
    expect(undo(history).present).toBe(0);
  });

  it('records nothing for a change that changed nothing', () => {
    const history = createHistory({ boxes: [] });
    expect(push(history, history.present)).toBe(history);
    expect(canUndo(record(history, history.present, history.present))).toBe(false);
  });

  it('keeps a bounded number of steps', () => {
    let history = createHistory(0);
    for (let step = 1; step <= HISTORY_LIMIT + 20; step++) history = push(history, step);
    expect(history.past.length).toBe(HISTORY_LIMIT);
    expect(history.past[0]).toBe(20);
  });
});

describe('the redaction document', () => {
  const findings = [
    { kind: 'email' as const, text: 'maria@example.com', box: { x: 200, y: 100, width: 400, height: 40 } },
    { kind: 'phone' as const, text: '+1 415 555 0132', box: { x: 200, y: 300, width: 300, height: 40 } },
  ];
  // The scan measured a 2400×1600 original; the editor shows it at 1200×800.
  const proposals = proposalsOf(findings, { width: 2400, height: 1600 }, { width: 1200, height: 800 });

  it('puts proposals in the pixels of the image being edited, with a margin around the text', () => {
    // 20 px high at this size: 3 px (15 %) more on every side.
    expect(proposals.map((proposal) => proposal.box)).toEqual([
      { x: 97, y: 47, width: 206, height: 26 },
      { x: 97, y: 147, width: 156, height: 26 },
    ]);
    expect(proposals.map((proposal) => proposal.kind)).toEqual(['email', 'phone']);
  });

  it('turns an accepted proposal into a box with its kind, and a dismissed one into none', () => {
    const [email, phone] = proposals;
    if (!email || !phone) throw new Error('two proposals');
    let document = acceptProposal(emptyDocument, email);
    expect(document.boxes).toEqual([
      expect.objectContaining({ kind: 'email', x: 97, y: 47, proposalId: email.id }),
    ]);
    expect(acceptProposal(document, email)).toBe(document);
    document = dismissProposal(document, phone);
    expect(document.boxes.length).toBe(1);
    expect(pendingProposals(document, proposals)).toEqual([]);
    // Dismissing an accepted one takes its box away.
    expect(dismissProposal(document, email).boxes).toEqual([]);
  });

  it('accepts every pending proposal at once, leaving dismissed ones alone', () => {
    const [email, phone] = proposals;
    if (!email || !phone) throw new Error('two proposals');
    const dismissed = dismissProposal(emptyDocument, email);
    const all = acceptAll(dismissed, proposals);
    expect(all.boxes.map((box) => box.kind)).toEqual(['phone']);
    expect(all.decisions).toEqual({ [email.id]: 'dismissed', [phone.id]: 'accepted' });
  });

  it('puts a proposal back up for review when its box is removed', () => {
    const [email] = proposals;
    if (!email) throw new Error('a proposal');
    const accepted = acceptProposal(emptyDocument, email);
    const removed = removeBox(accepted, accepted.boxes[0]?.id ?? '');
    expect(removed.boxes).toEqual([]);
    expect(pendingProposals(removed, proposals).map((proposal) => proposal.id)).toContain(email.id);
  });

  it('undoes drawing, moving, accepting and deleting, step by step', () => {
    const [email] = proposals;
    if (!email) throw new Error('a proposal');
    let history = createHistory(emptyDocument);
    history = push(history, addBox(history.present, { x: 10, y: 10, width: 50, height: 20 }, 'drawn'));
    history = push(history, updateBox(history.present, 'drawn', { x: 20, y: 10, width: 50, height: 20 }));
    history = push(history, acceptProposal(history.present, email));
    history = push(history, removeBox(history.present, 'drawn'));
    expect(history.present.boxes.map((box) => box.id)).toEqual([`box-${email.id}`]);
    history = undo(history);
    expect(history.present.boxes.map((box) => box.id)).toEqual(['drawn', `box-${email.id}`]);
    history = undo(history);
    expect(history.present.decisions).toEqual({});
    history = undo(history);
    expect(history.present.boxes).toEqual([{ id: 'drawn', x: 10, y: 10, width: 50, height: 20 }]);
    history = undo(history);
    expect(history.present).toBe(emptyDocument);
  });
});
