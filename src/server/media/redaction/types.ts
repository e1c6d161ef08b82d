// Shapes shared by text recognition, personal-data detection and burned-in redaction.

/** A rectangle in image pixels, origin at the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One recognised word with its box and the index of the text line it belongs to. */
export interface OcrWord {
  text: string;
  /** 0–100, as reported by the recogniser. */
  confidence: number;
  box: Box;
  /** Index of the line in reading order; words of one line share it. */
  line: number;
  block?: number;
}

export const findingKinds = ['card', 'iban', 'email', 'phone', 'address', 'name'] as const;
export type FindingKind = (typeof findingKinds)[number];

/** A proposed redaction: what kind of personal data, the text read, and where it is. */
export interface Finding {
  kind: FindingKind;
  text: string;
  box: Box;
}
