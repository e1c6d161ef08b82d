// A message's own content in the thread, before its files: a story it mentions, the text
// or the e-mail body, and what the channel recorded beside them (message-meta.tsx). After
// the files: notes for agents.
import { useMemo } from 'react';
import type { Message } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { EmailBody, QuotedText } from './email-body.js';
import { AgentNotes, LinkCards, MediaLabel, ProviderErrors, UnsupportedNotice } from './message-meta.js';
import { readMeta, storyAttachment } from './message-meta-read.js';
import { StoryMention } from './story-mention.js';

export function MessageContent({ message, author }: { message: Message; author: string }) {
  const { t } = useI18n();
  const view = useMemo(() => readMeta(message.meta), [message.meta]);
  const email = view.email;
  const html = email?.html;
  return (
    <>
      {view.storyMention ? (
        <StoryMention url={view.storyMention.url} attachment={storyAttachment(message, view)} />
      ) : null}
      {email && html ? (
        <EmailBody
          messageId={message.id}
          email={{ ...email, html }}
          attachments={message.attachments}
          title={t('email.frameTitle', { name: author })}
        />
      ) : message.text ? (
        <div className="message-text">{message.text}</div>
      ) : null}
      {email && !html && email.quotedText ? (
        <QuotedText messageId={message.id} text={email.quotedText} />
      ) : null}
      <MediaLabel voiceNote={view.voiceNote} sticker={view.sticker} />
      {view.cards.length ? <LinkCards cards={view.cards} /> : null}
      {view.unsupported ? (
        <UnsupportedNotice note={view.unsupported} errors={view.providerErrors} />
      ) : view.providerErrors.length ? (
        <ProviderErrors errors={view.providerErrors} />
      ) : null}
    </>
  );
}

export function MessageNotes({ message }: { message: Message }) {
  const notes = useMemo(() => readMeta(message.meta).email?.notes ?? [], [message.meta]);
  return notes.length ? <AgentNotes notes={notes} /> : null;
}
