// Whether a free-form reply may still go on a channel with a reply window (WhatsApp,
// Instagram), from the time the customer last wrote. The composer warns with it before
// sending; the provider has the final word and its refusal is explained on the message.
import type { ChannelRules } from './channel-rules.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export interface ReplyWindow {
  /** `none`: the channel has no window. */
  state: 'none' | 'open' | 'closed';
  /** When the window closes (or closed); null when there is no window or no customer message yet. */
  closesAt: number | null;
  /** Instagram: until when a reply tagged HUMAN_AGENT may still go (null where there is no such tag). */
  humanAgentUntil: number | null;
  /** True when the window is closed but a HUMAN_AGENT-tagged reply may still go. */
  humanAgentAllowed: boolean;
}

export function replyWindowOf(
  rules: Pick<ChannelRules, 'replyWindowHours' | 'humanAgentWindowDays'>,
  lastInboundAt: number | null,
  now: number,
): ReplyWindow {
  if (!rules.replyWindowHours)
    return { state: 'none', closesAt: null, humanAgentUntil: null, humanAgentAllowed: false };
  if (lastInboundAt === null)
    return { state: 'closed', closesAt: null, humanAgentUntil: null, humanAgentAllowed: false };
  const closesAt = lastInboundAt + rules.replyWindowHours * HOUR;
  const humanAgentUntil = rules.humanAgentWindowDays
    ? lastInboundAt + rules.humanAgentWindowDays * DAY
    : null;
  const open = now < closesAt;
  return {
    state: open ? 'open' : 'closed',
    closesAt,
    humanAgentUntil,
    humanAgentAllowed: !open && humanAgentUntil !== null && now < humanAgentUntil,
  };
}
