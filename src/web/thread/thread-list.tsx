// The thread as a virtualised list: it opens at the newest message, loads older pages when
// the agent scrolls up (keeping what is on screen in place), and follows new messages while
// the agent is at the bottom.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Attachment, Message } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';
import { boxLimitFor, estimateAttachmentHeight, isVisual } from './media-size.js';
import { MessageItem } from './message-item.js';
import type { Thread } from './use-thread.js';

type Row =
  | { kind: 'start'; key: string }
  | { kind: 'day'; key: string; at: number }
  | { kind: 'message'; key: string; message: Message; grouped: boolean };

const GROUP_WINDOW = 5 * 60 * 1000;
const dayKey = (at: number) => {
  const date = new Date(at);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
};

function buildRows(messages: Message[], complete: boolean): Row[] {
  const rows: Row[] = complete ? [{ kind: 'start', key: 'start' }] : [];
  let previous: Message | null = null;
  let day = '';
  for (const message of messages) {
    const key = dayKey(message.createdAt);
    if (key !== day) {
      rows.push({ kind: 'day', key: `day-${key}`, at: message.createdAt });
      day = key;
      previous = null;
    }
    const grouped =
      previous !== null &&
      previous.direction === message.direction &&
      previous.note === message.note &&
      (previous.author?.id ?? '') === (message.author?.id ?? '') &&
      message.createdAt - previous.createdAt < GROUP_WINDOW;
    rows.push({ kind: 'message', key: message.id, message, grouped });
    previous = message;
  }
  return rows;
}

function estimate(row: Row): number {
  if (row.kind === 'start') return 56;
  if (row.kind === 'day') return 44;
  const { message } = row;
  const lines = message.text
    ? Math.ceil(message.text.length / 70) + (message.text.match(/\n/g)?.length ?? 0)
    : 0;
  let height = (row.grouped ? 8 : 40) + lines * 21 + 12;
  const max = boxLimitFor(message.attachments.filter(isVisual).length);
  const visuals = message.attachments.filter(isVisual);
  // Pictures sit side by side (about three to a row); other files stack.
  const visualHeights = visuals.map((attachment) => estimateAttachmentHeight(attachment, max));
  for (let row = 0; row < visualHeights.length; row += 3)
    height += Math.max(...visualHeights.slice(row, row + 3));
  for (const attachment of message.attachments)
    if (!isVisual(attachment)) height += estimateAttachmentHeight(attachment);
  if (message.direction === 'outbound' && !message.note) height += 22;
  return height;
}

export function ThreadList({
  thread,
  contactName,
  onOpen,
  followToken,
}: {
  thread: Thread;
  contactName: string;
  onOpen(attachment: Attachment): void;
  /** Changes when the agent sends something: the thread jumps to the newest message. */
  followToken: number;
}) {
  const { t, day } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(
    () => buildRows(thread.messages, !thread.hasOlder),
    [thread.messages, thread.hasOlder],
  );
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const lastId = thread.messages[thread.messages.length - 1]?.id;
  const lastIdRef = useRef(lastId);
  useEffect(() => {
    // A message arrived below while the agent reads older ones: say so instead of jumping.
    if (lastIdRef.current && lastId !== lastIdRef.current && !atBottom.current)
      setUnseen((count) => count + 1);
    lastIdRef.current = lastId;
  }, [lastId]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimate(rows[index] as Row),
    getItemKey: (index) => (rows[index] as Row).key,
    overscan: 6,
    anchorTo: 'end',
    followOnAppend: true,
    paddingStart: 16,
    paddingEnd: 16,
  });

  // Open at the newest message once the first page is in.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || thread.loading || rows.length === 0) return;
    opened.current = true;
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    // Measured heights replace estimates over the next frames: stay pinned to the end.
    let frames = 0;
    const pin = () => {
      const element = scrollRef.current;
      const end = element ? element.scrollHeight - element.clientHeight : 0;
      if (element && atBottom.current && Math.abs(element.scrollTop - end) > 1) element.scrollTop = end;
      if (++frames < 4) requestAnimationFrame(pin);
    };
    requestAnimationFrame(pin);
  }, [thread.loading, rows.length, virtualizer]);

  const { loadOlder, hasOlder, loadingOlder } = thread;
  const maybeLoadOlder = useCallback(() => {
    const element = scrollRef.current;
    if (!element || !opened.current || !hasOlder || loadingOlder) return;
    if (element.scrollTop < 800) void loadOlder();
  }, [hasOlder, loadingOlder, loadOlder]);

  useEffect(() => {
    // A short first page may not fill the pane: keep loading until it scrolls.
    const element = scrollRef.current;
    if (element && !thread.loading && element.scrollHeight <= element.clientHeight + 800) maybeLoadOlder();
  }, [thread.loading, rows.length, maybeLoadOlder]);

  // While the agent is at the bottom, stay there as messages arrive and media gets measured.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && opened.current && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [totalSize]);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (opened.current && atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    if (!followToken || !opened.current) return;
    atBottom.current = true;
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [followToken]);

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="thread-scroll"
      ref={scrollRef}
      onScroll={() => {
        const element = scrollRef.current;
        if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 64;
        if (atBottom.current && unseen) setUnseen(0);
        maybeLoadOlder();
      }}
      tabIndex={0}
      role="log"
      aria-label={t('thread.label')}
      aria-busy={thread.loading || loadingOlder}
      data-loaded={thread.messages.length}
      data-complete={!hasOlder}
    >
      {loadingOlder ? (
        <div className="thread-loading-older" role="status">
          <span>
            <span className="spinner small" aria-hidden="true" />
            {t('thread.loadingOlder')}
          </span>
        </div>
      ) : null}
      <div className="thread-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index] as Row;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="thread-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'start' ? (
                <div className="thread-start">{t('thread.start')}</div>
              ) : row.kind === 'day' ? (
                <div className="day-separator" role="separator">
                  <span>{day(row.at)}</span>
                </div>
              ) : (
                <MessageItem
                  message={row.message}
                  grouped={row.grouped}
                  contactName={contactName}
                  onOpen={onOpen}
                  onChanged={thread.upsert}
                  onAttachmentChanged={thread.patchAttachment}
                />
              )}
            </div>
          );
        })}
      </div>
      {unseen ? (
        <button
          type="button"
          className="new-messages"
          onClick={() => {
            atBottom.current = true;
            setUnseen(0);
            virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
          }}
        >
          {t('thread.newMessages', { count: unseen })}
          <Icon name="chevronDown" size={14} />
        </button>
      ) : null}
    </div>
  );
}
