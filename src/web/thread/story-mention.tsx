// An Instagram story that mentions the business. The story is never stored: it is shown from
// Instagram's link until that link stops loading (stories expire), then says so.
import { useState } from 'react';
import type { Attachment } from '../../shared/api-schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';

export function StoryMention({ url, attachment }: { url: string; attachment: Attachment | null }) {
  const { t } = useI18n();
  const [gone, setGone] = useState(false);
  const video = attachment?.kind === 'video';
  return (
    <figure className={`story-mention${gone ? ' gone' : ''}`}>
      <figcaption className="media-label story-mention-caption">
        <Icon name="instagram" size={13} />
        {t('meta.storyMention')}
      </figcaption>
      {gone ? (
        <div className="story-gone" role="status">
          <Icon name="eyeOff" size={22} />
          <strong>{t('meta.storyGone')}</strong>
          <span>{t('meta.storyGoneHint')}</span>
        </div>
      ) : video ? (
        <video
          className="story-media"
          src={url}
          controls
          muted
          playsInline
          preload="metadata"
          aria-label={t('meta.storyMention')}
          onError={() => setGone(true)}
        />
      ) : (
        <a
          className="story-link"
          href={url}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={t('meta.storyOpen')}
        >
          <img
            className="story-media"
            src={url}
            alt={t('meta.storyMention')}
            referrerPolicy="no-referrer"
            decoding="async"
            draggable={false}
            onError={() => setGone(true)}
          />
        </a>
      )}
    </figure>
  );
}
