// Opaque keyset cursors: the sort key of the last row seen, so a page never shifts when new
// rows arrive.
import { AppError } from '../errors.js';

export function encodeCursor(at: number, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError(
    'validation_failed',
    'The cursor is not one this server issued; start again without it.',
    {
      field: 'cursor',
    },
  );
}

/** Escapes LIKE wildcards in user text. */
export const likePattern = (text: string): string =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
