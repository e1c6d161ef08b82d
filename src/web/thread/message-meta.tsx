// What channels record about a message beside its text and files (src/shared/message-meta.ts):
// a type the channel cannot show, errors the provider reported, shared links, voice notes
// and stickers, and notes for agents. Remote previews are never fetched for link cards.
import type { LinkCard, ProviderErrorNote, UnsupportedNote } from '../../shared/message-meta.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon, type IconName } from '../ui/icon.js';
import { useThreadChannel } from './thread-channel.js';

const cardIcon: Record<LinkCard['kind'], IconName> = {
  share: 'image',
  ig_reel: 'film',
  ig_post: 'instagram',
  link: 'link',
  story_reply: 'reply',
  location: 'mapPin',
};

/** A short, readable form of a link: host and path, without the scheme or a trailing slash. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/$/, '');
    return `${parsed.host.replace(/^www\./, '')}${path}`;
  } catch {
    return url;
  }
}

function LinkCardView({ card }: { card: LinkCard }) {
  const { t } = useI18n();
  const coordinates =
    card.latitude !== undefined && card.longitude !== undefined
      ? `${card.latitude.toFixed(5)}, ${card.longitude.toFixed(5)}`
      : null;
  const title = card.title ?? coordinates ?? displayUrl(card.url);
  return (
    <a
      className={`link-card ${card.kind}`}
      href={card.url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={t('meta.card.open', { title: `${t(`meta.card.${card.kind}`)}: ${title}` })}
    >
      <span className="link-card-icon">
        <Icon name={cardIcon[card.kind]} size={18} />
      </span>
      <span className="link-card-text">
        <span className="link-card-kind">{t(`meta.card.${card.kind}`)}</span>
        <span className="link-card-title">{title}</span>
        {card.title || coordinates ? (
          <span className="link-card-url">
            {coordinates && card.title ? coordinates : displayUrl(card.url)}
          </span>
        ) : null}
      </span>
      <Icon name="externalLink" size={14} className="link-card-go" />
    </a>
  );
}

export function LinkCards({ cards }: { cards: LinkCard[] }) {
  return (
    <div className="link-cards">
      {cards.map((card, index) => (
        <LinkCardView key={`${index}-${card.url}`} card={card} />
      ))}
    </div>
  );
}

function ErrorList({ errors }: { errors: ProviderErrorNote[] }) {
  const { t } = useI18n();
  return (
    <ul className="meta-notice-list">
      {errors.map((error, index) => (
        <li key={`${index}-${error.code}`}>
          {[error.title, error.details].filter(Boolean).join(': ')}
          {error.code ? (
            <span className="meta-notice-code"> ({t('meta.errorCode', { code: error.code })})</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A type the channel cannot show; the provider's errors about it, when it sent any, in the same box. */
export function UnsupportedNotice({ note, errors }: { note: UnsupportedNote; errors: ProviderErrorNote[] }) {
  const { t } = useI18n();
  const channel = useThreadChannel();
  const reasonRepeated = errors.some((error) => error.title === note.reason || error.details === note.reason);
  return (
    <div className="meta-notice unsupported" role="note">
      <Icon name="info" size={16} />
      <span className="meta-notice-text">
        <span>
          {channel
            ? t('meta.unsupported', { channel: t(`channel.${channel}`), kind: note.kind })
            : t('meta.unsupportedAnyChannel', { kind: note.kind })}
        </span>
        {note.reason && !reasonRepeated ? <span className="meta-notice-detail">{note.reason}</span> : null}
        {errors.length ? <ErrorList errors={errors} /> : null}
      </span>
    </div>
  );
}

export function ProviderErrors({ errors }: { errors: ProviderErrorNote[] }) {
  const { t } = useI18n();
  const channel = useThreadChannel();
  return (
    <div className="meta-notice error" role="note">
      <Icon name="alert" size={16} />
      <span className="meta-notice-text">
        <span>
          {channel
            ? t('meta.providerErrors', { channel: t(`channel.${channel}`) })
            : t('meta.providerErrorsAnyChannel')}
        </span>
        <ErrorList errors={errors} />
      </span>
    </div>
  );
}

export function MediaLabel({
  voiceNote,
  sticker,
}: {
  voiceNote: boolean;
  sticker: { animated: boolean } | null;
}) {
  const { t } = useI18n();
  if (voiceNote)
    return (
      <span className="media-label">
        <Icon name="mic" size={13} />
        {t('meta.voiceNote')}
      </span>
    );
  if (!sticker) return null;
  return (
    <span className="media-label sticker">
      <Icon name="smile" size={13} />
      {t(sticker.animated ? 'meta.stickerAnimated' : 'meta.sticker')}
    </span>
  );
}

export function AgentNotes({ notes }: { notes: string[] }) {
  const { t } = useI18n();
  return (
    <aside className="agent-notes" aria-label={t('email.notes')}>
      {notes.map((note, index) => (
        <p key={index} className="agent-note">
          <Icon name="info" size={13} />
          <span>{note}</span>
        </p>
      ))}
    </aside>
  );
}
