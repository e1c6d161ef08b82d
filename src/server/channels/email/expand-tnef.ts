// Outlook's winmail.dat replaced by the files inside it, before the mail becomes a message:
// a customer who wrote from Outlook in rich-text format sees their PDF or photo like any other
// attachment. A container that cannot be read stays as it came, with a note saying so.
import type { Deps } from '../../context.js';
import { discardIfUnreferenced } from '../../domain/blobs.js';
import { emailLimits } from './email-limits.js';
import type { ParsedEmail, ParsedPart } from './parse-email.js';
import { TNEF_TYPES, TnefError, unpackTnef } from './tnef.js';

const isTnef = (part: ParsedPart) =>
  TNEF_TYPES.has(part.contentType) || (part.name ?? '').toLowerCase() === 'winmail.dat';

/** Opens every readable winmail.dat among `parsed.parts` in place; keeps the others. */
export async function expandTnef(
  deps: Pick<Deps, 'db' | 'blobs' | 'log'>,
  parsed: ParsedEmail,
  partBytes: number,
): Promise<void> {
  if (!parsed.parts.some((part) => isTnef(part) && part.blobKey)) return;
  const parts: ParsedPart[] = [];
  for (const [index, part] of parsed.parts.entries()) {
    const room = emailLimits.maxParts - parts.length - (parsed.parts.length - index - 1);
    if (!isTnef(part) || !part.blobKey || room < 1) {
      parts.push(part);
      continue;
    }
    const committed: string[] = [];
    try {
      const files = await unpackTnef(
        deps.blobs,
        part.blobKey,
        { fileBytes: partBytes, maxFiles: room },
        committed,
      );
      if (files.length === 0) {
        parts.push(part);
        continue;
      }
      for (const file of files) {
        parts.push({
          blobKey: file.blobKey,
          size: file.size,
          name: file.name,
          contentType: 'application/octet-stream',
          contentId: undefined,
          contentLocation: undefined,
          disposition: 'attachment',
          tooLarge: false,
          fromTnef: true,
        });
      }
      await discardIfUnreferenced(deps, part.blobKey);
    } catch (error) {
      for (const key of committed) await discardIfUnreferenced(deps, key);
      if (!(error instanceof TnefError)) throw error;
      deps.log.info({ reason: error.message }, 'winmail.dat kept as it came');
      parts.push({ ...part, tnefUnreadable: true });
    }
  }
  parsed.parts = parts;
}
