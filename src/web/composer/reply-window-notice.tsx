// The reply window of WhatsApp and Instagram, from the shared rule (`replyWindowOf`): a warning
// once the customer last wrote more than 24 hours ago and, on an Instagram channel allowed to,
// the choice to send the reply tagged HUMAN_AGENT within 7 days of that message.
import type { ChannelLimits, Ticket } from '../../shared/api-schemas.js';
import { defaultChannelRules } from '../../shared/channel-rules.js';
import { replyWindowOf } from '../../shared/reply-window.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from '../ui/icon.js';

export interface ReplyWindowFacts {
  /** Free-form replies may be refused: the customer last wrote too long ago (or never). */
  closed: boolean;
  /** The reply may still go tagged HUMAN_AGENT: the window is closed, the channel allows it, within 7 days. */
  humanAgentOffered: boolean;
}

export function replyWindowFacts(
  ticket: Pick<Ticket, 'channel' | 'lastInboundAt'>,
  limits: ChannelLimits,
  now: number,
): ReplyWindowFacts {
  const window = replyWindowOf(defaultChannelRules[ticket.channel.kind], ticket.lastInboundAt, now);
  return {
    closed: window.state === 'closed',
    humanAgentOffered: window.humanAgentAllowed && limits.humanAgentTag === true,
  };
}

export function ReplyWindowNotice({
  channelName,
  facts,
  humanAgent,
  onHumanAgentChange,
}: {
  channelName: string;
  facts: ReplyWindowFacts;
  humanAgent: boolean;
  onHumanAgentChange(value: boolean): void;
}) {
  const { t } = useI18n();
  if (!facts.closed) return null;
  return (
    <div className="composer-banner warning" role="note">
      <Icon name="clock" size={14} />
      <div>
        <p>{t('composer.windowClosed', { channel: channelName })}</p>
        {facts.humanAgentOffered ? (
          <label className="composer-option">
            <input
              type="checkbox"
              checked={humanAgent}
              onChange={(event) => onHumanAgentChange(event.target.checked)}
            />
            {t('composer.humanAgent')}
          </label>
        ) : null}
      </div>
    </div>
  );
}
