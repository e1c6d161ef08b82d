// The editor's side panel: "Detect personal data", then each proposal with its kind and
// text, to accept (it becomes a box) or dismiss, one by one or all at once.
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import type { Proposal, RedactionDocument } from './redaction-document.js';
import type { ScanState } from './use-pii-scans.js';

export function ProposalsPanel({
  scan,
  proposals,
  document,
  onDetect,
  onAccept,
  onDismiss,
  onAcceptAll,
}: {
  scan: ScanState | undefined;
  proposals: readonly Proposal[];
  document: RedactionDocument;
  onDetect(): void;
  onAccept(proposal: Proposal): void;
  onDismiss(proposal: Proposal): void;
  onAcceptAll(): void;
}) {
  const { t } = useI18n();
  const pending = proposals.filter((proposal) => document.decisions[proposal.id] === undefined).length;
  return (
    <section className="redact-panel" aria-labelledby="redact-panel-title">
      <header className="redact-panel-head">
        <h3 id="redact-panel-title">{t('redaction.personalData')}</h3>
        {scan?.status === 'done' && proposals.length ? (
          <span className="redact-count">{proposals.length}</span>
        ) : null}
      </header>
      {scan === undefined ? (
        <div className="redact-detect">
          <p className="muted">{t('redaction.detectHint')}</p>
          <button type="button" className="button block" onClick={onDetect}>
            <Icon name="sparkle" size={14} />
            {t('redaction.detect')}
          </button>
        </div>
      ) : scan.status === 'scanning' ? (
        <p className="redact-status" role="status">
          <span className="spinner small" aria-hidden="true" />
          {t('redaction.scanning')}
        </p>
      ) : scan.status === 'failed' ? (
        <div className="redact-detect" role="alert">
          <p className="error-text">{scan.message ?? t('redaction.scanFailed')}</p>
          <button type="button" className="button block" onClick={onDetect}>
            <Icon name="retry" size={14} />
            {t('common.tryAgain')}
          </button>
        </div>
      ) : proposals.length === 0 ? (
        <p className="redact-status" role="status">
          <Icon name="check" size={14} />
          {t('redaction.nothingFound')}
        </p>
      ) : (
        <>
          <p className="redact-status" role="status">
            {pending ? t('redaction.toReview', { count: pending }) : t('redaction.allReviewed')}
          </p>
          <ul className="redact-proposals">
            {proposals.map((proposal) => {
              const decision = document.decisions[proposal.id];
              const kind = t(`redaction.kind.${proposal.kind}`);
              return (
                <li
                  key={proposal.id}
                  className={`redact-proposal-item ${decision ?? 'pending'}`}
                  data-kind={proposal.kind}
                  data-decision={decision ?? 'pending'}
                >
                  <span className={`redact-kind kind-${proposal.kind}`}>{kind}</span>
                  <span className="redact-text" title={proposal.text}>
                    {proposal.text}
                  </span>
                  <span className="redact-item-actions">
                    {decision !== 'accepted' ? (
                      <button
                        type="button"
                        className="icon-button small accept"
                        onClick={() => onAccept(proposal)}
                        aria-label={t('redaction.acceptName', { kind, text: proposal.text })}
                        title={t('redaction.accept')}
                      >
                        <Icon name="check" size={14} />
                      </button>
                    ) : (
                      <span className="visually-hidden">{t('redaction.accepted')}</span>
                    )}
                    {decision !== 'dismissed' ? (
                      <button
                        type="button"
                        className="icon-button small dismiss"
                        onClick={() => onDismiss(proposal)}
                        aria-label={t('redaction.dismissName', { kind, text: proposal.text })}
                        title={t('redaction.dismiss')}
                      >
                        <Icon name="x" size={14} />
                      </button>
                    ) : (
                      <span className="visually-hidden">{t('redaction.dismissed')}</span>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
          {pending ? (
            <button type="button" className="button block" onClick={onAcceptAll}>
              <Icon name="checks" size={14} />
              {t('redaction.acceptAll', { count: pending })}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
