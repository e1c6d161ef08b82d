/** @jsxImportSource preact */
// The conversation: the channel's greeting, then messages grouped by who wrote them (media
// above their caption), the visitor's messages still on their way, and a time under each group.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { VisitorMessage } from '../../shared/webchat-api.js';
import type { Catalog } from '../i18n/index.js';
import type { LocalMessage, ThreadState } from '../thread.js';
import { AttachmentView, PendingView, type AttachmentActions } from './Attachments.js';
import { Linkified } from './Linkified.js';

export interface ThreadProps {
  thread: ThreadState;
  greeting: string;
  title: string;
  t: Catalog;
  language: string;
  actions: AttachmentActions;
  hasOlder: boolean;
  onLoadOlder(): void;
  onRetry(clientId: string): void;
  footer?: ComponentChildren;
}

const GROUP_GAP_MS = 5 * 60_000;

function timeOf(at: number, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }).format(at);
  } catch {
    return new Date(at).toLocaleTimeString();
  }
}

function statusText(message: VisitorMessage, t: Catalog): string {
  return message.status === 'read' ? t.seen : t.sent;
}

function MessageBlock({
  message,
  first,
  last,
  props,
}: {
  message: VisitorMessage;
  first: boolean;
  last: boolean;
  props: ThreadProps;
}): JSX.Element {
  const mine = message.from === 'visitor';
  return (
    <div
      class={`sb-row ${mine ? 'sb-mine' : 'sb-theirs'} ${last ? 'sb-last' : ''}`}
      data-message-id={message.id}
    >
      {!mine && first && <div class="sb-author">{message.authorName ?? props.title}</div>}
      {message.attachments.length > 0 && (
        <div class="sb-media">
          {message.attachments.map((attachment) => (
            <AttachmentView key={attachment.id} attachment={attachment} actions={props.actions} />
          ))}
        </div>
      )}
      {message.text && (
        <div class="sb-bubble">
          <Linkified text={message.text} />
        </div>
      )}
      {last && (
        <div class="sb-meta">
          {timeOf(message.createdAt, props.language)}
          {mine && message.status !== 'received' ? ` · ${statusText(message, props.t)}` : ''}
        </div>
      )}
    </div>
  );
}

function LocalBlock({ local, props }: { local: LocalMessage; props: ThreadProps }): JSX.Element {
  const { t, language } = props;
  return (
    <div class={`sb-row sb-mine sb-last ${local.state === 'failed' ? 'sb-failed' : 'sb-sending'}`}>
      {local.files.length > 0 && (
        <div class="sb-media">
          {local.files.map((file) => (
            <PendingView key={file.key} file={file} t={t} language={language} />
          ))}
        </div>
      )}
      {local.text && (
        <div class="sb-bubble">
          <Linkified text={local.text} />
        </div>
      )}
      <div class="sb-meta">
        {local.state === 'failed' ? (
          <span class="sb-failed-text">
            {local.error ?? t.notSent}{' '}
            <button type="button" class="sb-link" onClick={() => props.onRetry(local.clientId)}>
              {t.retry}
            </button>
          </span>
        ) : (
          t.sending
        )}
      </div>
    </div>
  );
}

export function Thread(props: ThreadProps): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const { messages, locals } = props.thread;
  const count = messages.length + locals.length;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  });
  useEffect(() => {
    stick.current = true;
  }, [count]);

  return (
    <div
      class="sb-thread"
      ref={scroller}
      role="log"
      aria-live="polite"
      onScroll={(event) => {
        const element = event.currentTarget;
        stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 60;
      }}
    >
      {props.hasOlder && (
        <button type="button" class="sb-older" onClick={props.onLoadOlder}>
          {props.t.loadOlder}
        </button>
      )}
      <div class="sb-row sb-theirs sb-last sb-greeting">
        <div class="sb-author">{props.title}</div>
        <div class="sb-bubble">{props.greeting}</div>
      </div>
      {messages.map((message, index) => {
        const previous = messages[index - 1];
        const next = messages[index + 1];
        const first =
          !previous ||
          previous.from !== message.from ||
          message.createdAt - previous.createdAt > GROUP_GAP_MS;
        const last =
          (!next || next.from !== message.from || next.createdAt - message.createdAt > GROUP_GAP_MS) &&
          !(message.from === 'visitor' && locals.length > 0 && !next);
        return <MessageBlock key={message.id} message={message} first={first} last={last} props={props} />;
      })}
      {locals.map((local) => (
        <LocalBlock key={local.clientId} local={local} props={props} />
      ))}
      {props.footer}
    </div>
  );
}
