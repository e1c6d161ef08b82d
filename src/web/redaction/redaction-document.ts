// What the redaction editor edits: the boxes the agent keeps and the decision on each
// proposal found by the scan. Pure functions over immutable values, so that every step can
// be undone and tested without a browser.
import type { PiiFinding, PiiKind } from '../../shared/redaction-api.js';
import { padRect, rescaleRect, textMargin, type Rect, type Size } from './geometry.js';

export interface EditorBox extends Rect {
  id: string;
  /** Set when the box came from an accepted proposal. */
  proposalId?: string;
  kind?: PiiKind;
}

export interface Proposal {
  id: string;
  kind: PiiKind;
  text: string;
  box: Rect;
}

export type Decision = 'accepted' | 'dismissed';

export interface RedactionDocument {
  boxes: readonly EditorBox[];
  decisions: Readonly<Record<string, Decision>>;
}

export const emptyDocument: RedactionDocument = { boxes: [], decisions: {} };

let sequence = 0;
export const newBoxId = (): string => `box-${++sequence}`;

/**
 * Turns a scan's findings into proposals in the pixels of the image being edited, with a
 * margin so that the edges of the text are covered too.
 */
export function proposalsOf(findings: readonly PiiFinding[], scanned: Size, image: Size): Proposal[] {
  return findings.map((finding, index) => {
    const box = rescaleRect(finding.box, scanned, image);
    return {
      id: `proposal-${index}-${finding.box.x}-${finding.box.y}`,
      kind: finding.kind,
      text: finding.text,
      box: padRect(box, textMargin(box), image),
    };
  });
}

export function addBox(document: RedactionDocument, rect: Rect, id = newBoxId()): RedactionDocument {
  return { ...document, boxes: [...document.boxes, { id, ...rect }] };
}

export function updateBox(document: RedactionDocument, id: string, rect: Rect): RedactionDocument {
  return {
    ...document,
    boxes: document.boxes.map((box) =>
      box.id === id ? { ...box, x: rect.x, y: rect.y, width: rect.width, height: rect.height } : box,
    ),
  };
}

/** Removes a box; a box that came from a proposal puts the proposal back up for review. */
export function removeBox(document: RedactionDocument, id: string): RedactionDocument {
  const box = document.boxes.find((candidate) => candidate.id === id);
  if (!box) return document;
  const decisions = { ...document.decisions };
  if (box.proposalId) delete decisions[box.proposalId];
  return { boxes: document.boxes.filter((candidate) => candidate.id !== id), decisions };
}

export const boxIdOf = (proposal: Proposal): string => `box-${proposal.id}`;

export function acceptProposal(document: RedactionDocument, proposal: Proposal): RedactionDocument {
  if (document.decisions[proposal.id] === 'accepted') return document;
  return {
    boxes: [
      ...document.boxes,
      { id: boxIdOf(proposal), proposalId: proposal.id, kind: proposal.kind, ...proposal.box },
    ],
    decisions: { ...document.decisions, [proposal.id]: 'accepted' },
  };
}

export function dismissProposal(document: RedactionDocument, proposal: Proposal): RedactionDocument {
  const accepted = document.boxes.filter((box) => box.proposalId !== proposal.id);
  return { boxes: accepted, decisions: { ...document.decisions, [proposal.id]: 'dismissed' } };
}

/** Proposals not yet accepted or dismissed. */
export const pendingProposals = (document: RedactionDocument, proposals: readonly Proposal[]): Proposal[] =>
  proposals.filter((proposal) => document.decisions[proposal.id] === undefined);

export function acceptAll(document: RedactionDocument, proposals: readonly Proposal[]): RedactionDocument {
  return pendingProposals(document, proposals).reduce(acceptProposal, document);
}
