// Helpers shared by the detectors: turning matches into findings and a label vocabulary.
import { matchBox, buildTextIndex, type Match, type TextIndex } from '../text-index.js';
import type { Finding, OcrWord } from '../types.js';

export type Find = (index: TextIndex) => Match[];

export function toFindings(index: TextIndex, matches: readonly Match[]): Finding[] {
  return matches.flatMap((match) => {
    const box = matchBox(index, match);
    return box ? [{ kind: match.kind, text: match.text, box }] : [];
  });
}

/** Runs one detector over plain OCR words (the detectors' standalone entry point). */
export const runDetector = (find: Find, words: readonly OcrWord[]): Finding[] => {
  const index = buildTextIndex(words);
  return toFindings(index, find(index));
};

/**
 * Labels after which a number is a reference rather than personal data (orders, invoices,
 * tracking, protocols), in English and Portuguese. Matched against the text just before a
 * candidate, so it ends with the label and optional punctuation.
 */
export const referenceLabel =
  /(?:\b(?:order|orders|pedido|invoice|fatura|nota|nf|nfe|ref|reference|refer[eê]ncia|tracking|track|rastreio|rastreamento|c[oó]digo|code|protocol|protocolo|ticket|chamado|id|no|n[ºo°]|number|num|sku|item|transaction|transa[cç][aã]o|receipt|recibo|confirmation|booking|reserva|awb|shipment|cpf|cnpj|rg|nsu|auth|autoriza[cç][aã]o)\b\.?|#|n[º°])\s*[:#.-]?\s*(?:#\s*)?$/i;
