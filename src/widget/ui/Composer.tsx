/** @jsxImportSource preact */
// Where the visitor writes: text (Enter sends, Shift+Enter breaks the line), files from the
// paper clip or pasted screenshots, each uploading with its progress, and the channel's
// limits spelled out before anything is chosen.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetLimits } from '../../shared/webchat-api.js';
import { formatBytes, type Catalog } from '../i18n/index.js';
import type { PendingFile } from '../thread.js';
import { PendingView } from './Attachments.js';
import { Icon } from './icons.js';

export interface ComposerProps {
  t: Catalog;
  language: string;
  limits: WidgetLimits;
  files: PendingFile[];
  focusKey: boolean;
  onFiles(files: File[]): void;
  onRemove(key: string): void;
  onSend(text: string): boolean;
}

export function limitsText(limits: WidgetLimits, t: Catalog, language: string): string {
  return t.limitsHint({
    image: formatBytes(limits.image.maxBytes, language),
    video: formatBytes(limits.video.maxBytes, language),
    file: formatBytes(limits.document.maxBytes, language),
  });
}

export function Composer(props: ComposerProps): JSX.Element {
  const { t, language } = props;
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (props.focusKey) input.current?.focus();
  }, [props.focusKey]);

  const grow = () => {
    const element = input.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 132)}px`;
  };

  const submit = () => {
    if (props.onSend(text)) {
      setText('');
      requestAnimationFrame(grow);
    }
  };
  const canSend = text.trim().length > 0 || props.files.length > 0;

  return (
    <div class="sb-composer">
      {props.files.length > 0 && (
        <div class="sb-drafts">
          {props.files.map((file) => (
            <PendingView
              key={file.key}
              file={file}
              t={t}
              language={language}
              onRemove={() => props.onRemove(file.key)}
            />
          ))}
        </div>
      )}
      <div class="sb-compose-row">
        <button
          type="button"
          class="sb-icon-button sb-attach"
          onClick={() => picker.current?.click()}
          aria-label={t.attach}
          title={`${t.attach}\n${limitsText(props.limits, t, language)}\n${t.perMessage(props.limits.perMessage)}`}
        >
          <Icon name="clip" />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          class="sb-file-input"
          onChange={(event) => {
            const chosen = Array.from(event.currentTarget.files ?? []);
            event.currentTarget.value = '';
            if (chosen.length) props.onFiles(chosen);
          }}
        />
        <textarea
          ref={input}
          class="sb-input"
          rows={1}
          value={text}
          placeholder={t.placeholder}
          aria-label={t.placeholder}
          maxLength={5000}
          onInput={(event) => {
            setText(event.currentTarget.value);
            grow();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
          onPaste={(event) => {
            const pasted = Array.from(event.clipboardData?.files ?? []);
            if (pasted.length) {
              event.preventDefault();
              props.onFiles(pasted);
            }
          }}
        />
        <button
          type="button"
          class="sb-send"
          onClick={submit}
          disabled={!canSend}
          aria-label={t.send}
          title={t.send}
        >
          <Icon name="send" size={19} />
        </button>
      </div>
      <div class="sb-hint">{limitsText(props.limits, t, language)}</div>
    </div>
  );
}
