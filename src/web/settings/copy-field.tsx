// A value to paste elsewhere (a webhook URL, the widget's script tag) with a Copy button that
// says when it worked.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';

export function CopyButton({ value }: { value: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button small"
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      <Icon name={copied ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{copied ? t('channels.copied') : t('channels.copy')}</span>
    </button>
  );
}

export function CopyField({ value, label }: { value: string; label: string }) {
  return (
    <div className="copy-field">
      <code aria-label={label}>{value}</code>
      <CopyButton value={value} />
    </div>
  );
}
