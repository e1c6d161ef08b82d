// The redaction editor in the composer: a "Redact" action on each image's chip, a scan for
// personal data started as soon as a screenshot (PNG, WebP) is uploaded, and on "Apply" the
// redacted copy takes the original's place, which is then discarded.
import { useEffect, useState, type ReactNode } from 'react';
import type { RedactionBox } from '../../shared/redaction-api.js';
import type { UploadItem, Uploads } from '../composer/use-uploads.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import {
  deleteAttachment,
  isRedactableType,
  isScreenshotType,
  redactAttachment,
} from './redaction-client.js';
import { burnPreview } from './burn-preview.js';
import { RedactionEditor } from './redaction-editor.js';
import { usePiiScans } from './use-pii-scans.js';

export interface ComposerRedaction {
  chipActions(item: UploadItem): ReactNode;
  /** "Personal data found" notes for the composer's hints, until the agent reviews the file. */
  notices: ReactNode;
  /** The open editor, if any, to render beside the composer. */
  editor: ReactNode;
}

/**
 * What the editor opens: the local file for an original (full size, at once), the server's
 * bytes for a copy already redacted (its chip preview is small).
 */
function sourceOf(item: UploadItem): string {
  const attachment = item.attachment;
  if (attachment?.redacted) return attachment.url ?? `/api/attachments/${attachment.id}/content`;
  return item.previewUrl ?? attachment?.url ?? '';
}

export function useComposerRedaction(uploads: Uploads): ComposerRedaction {
  const { t } = useI18n();
  const scans = usePiiScans();
  const [editing, setEditing] = useState<string | null>(null);
  const [reviewed, setReviewed] = useState<ReadonlySet<string>>(new Set());
  const open = (uploadId: string) => {
    setEditing(uploadId);
    setReviewed((current) => new Set(current).add(uploadId));
  };

  // Screenshots are checked without waiting for a click: proposals are ready when the editor opens.
  const { start } = scans;
  useEffect(() => {
    for (const item of uploads.items) {
      const attachment = item.attachment;
      if (
        item.status === 'ready' &&
        attachment &&
        !attachment.redacted &&
        isScreenshotType(attachment.contentType)
      )
        start(attachment.id);
    }
  }, [uploads.items, start]);

  const item = uploads.items.find((candidate) => candidate.id === editing);
  const attachment = item?.attachment ?? null;
  useEffect(() => {
    if (editing && !attachment) setEditing(null);
  }, [editing, attachment]);

  async function apply(target: UploadItem, boxes: RedactionBox[]) {
    const original = target.attachment;
    if (!original) return;
    const copy = await redactAttachment(original.id, boxes);
    const preview = target.previewUrl ? await burnPreview(target.previewUrl, boxes) : null;
    uploads.replace(target.id, copy, preview);
    setEditing(null);
    // The original draft never leaves: discard it (it was never sent, so nothing else refers to it).
    void deleteAttachment(original.id).catch(() => undefined);
  }

  function chipActions(candidate: UploadItem): ReactNode {
    const ready = candidate.attachment;
    if (candidate.status !== 'ready' || !ready || !isRedactableType(ready.contentType)) return null;
    const scan = scans.get(ready.id);
    const found = scan?.status === 'done' && !ready.redacted ? scan.result.findings.length : 0;
    return (
      <button
        type="button"
        className={`icon-button small redact-action${found ? ' suggested' : ''}${scan?.status === 'scanning' ? ' scanning' : ''}`}
        onClick={() => open(candidate.id)}
        aria-busy={scan?.status === 'scanning'}
        aria-label={t('redaction.openName', { name: candidate.name })}
        title={
          found
            ? t('redaction.found', { count: found })
            : scan?.status === 'scanning'
              ? t('redaction.checking')
              : t('redaction.open')
        }
        data-findings={scan?.status === 'done' ? scan.result.findings.length : undefined}
      >
        <Icon name="eyeOff" size={14} />
        {found ? <span className="redact-action-count">{found}</span> : null}
      </button>
    );
  }

  const notices = uploads.items.flatMap((candidate) => {
    const ready = candidate.attachment;
    const scan = ready ? scans.get(ready.id) : undefined;
    if (!ready || ready.redacted || reviewed.has(candidate.id) || scan?.status !== 'done') return [];
    const count = scan.result.findings.length;
    if (!count) return [];
    return [
      <li key={candidate.id} className="hint warning redact-notice">
        <Icon name="eyeOff" size={14} />
        <span>{t('redaction.notice', { count, name: candidate.name })}</span>
        <button type="button" className="link-button" onClick={() => open(candidate.id)}>
          {t('redaction.review')}
        </button>
      </li>,
    ];
  });

  const editor =
    item && attachment ? (
      <RedactionEditor
        key={attachment.id}
        name={item.name}
        src={sourceOf(item)}
        size={
          attachment.width && attachment.height
            ? { width: attachment.width, height: attachment.height }
            : null
        }
        scan={scans.get(attachment.id)}
        onDetect={() => scans.start(attachment.id)}
        onApply={(boxes) => apply(item, boxes)}
        onClose={() => setEditing(null)}
      />
    ) : null;

  return { chipActions, notices: notices.length ? notices : null, editor };
}
