// Outlook's winmail.dat replaced by the files inside it, before the mail becomes a message:
// a customer who wrote from Outlook in rich-text format sees their PDF or photo like any other
// attachment. A container that cannot be read stays as it came, with a note saying so; one
// that holds more than plain files (an attached e-mail) is kept beside the files taken out.
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
      const { files, complete } = await unpackTnef(
        deps.blobs,
        part.blobKey,
        // One place is left for the container itself, should it have to be kept.
        { fileBytes: partBytes, maxFiles: room - 1 },
        committed,
      );
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
      // What could not be taken out (an embedded message, files past the limit) stays reachable.
      if (complete && files.length > 0) await discardIfUnreferenced(deps, part.blobKey);
      else parts.push(part);
    } catch (error) {
      for (const key of committed) await discardIfUnreferenced(deps, key);
      if (!(error instanceof TnefError)) throw error;
      deps.log.info({ reason: error.message }, 'winmail.dat kept as it came');
      parts.push(part);
    }
  }
  parsed.parts = parts;
}
