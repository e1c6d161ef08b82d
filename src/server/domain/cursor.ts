// Opaque keyset cursors: the sort key of the last row seen, so a page never shifts when new
// rows arrive.
import { sql, type SelectQueryBuilder } from 'kysely';
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

/**
 * One page of a query ordered newest first by (`at`, `id`): rows strictly after the cursor's
 * row, `limit` of them, and the cursor of the last one when more follow.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keys: { at: string; id: string; of(row: O): { at: number; id: string } },
  options: { cursor?: string | undefined; limit: number },
): Promise<{ rows: O[]; nextCursor: string | null }> {
  const at = sql.ref(keys.at);
  const id = sql.ref(keys.id);
  let paged = query;
  if (options.cursor) {
    const after = decodeCursor(options.cursor);
    paged = paged.where(sql<boolean>`(${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))`);
  }
  const rows = await paged
    .orderBy(sql`${at} desc`)
    .orderBy(sql`${id} desc`)
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  const key = last ? keys.of(last) : null;
  return { rows: page, nextCursor: rows.length > options.limit && key ? encodeCursor(key.at, key.id) : null };
}
