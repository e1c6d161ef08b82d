// The limits of the ticket's channel (attachment budget, MMS image budget, HUMAN_AGENT), from
// the channels the session loaded: what the composer plans a reply with.
import type { ChannelLimits, Ticket } from '../../shared/api-schemas.js';
import { useSession } from '../session/session.js';

const NONE: ChannelLimits = {};

export function useChannelLimits(ticket: Pick<Ticket, 'channel'>): ChannelLimits {
  const { channels } = useSession();
  return channels.find((channel) => channel.id === ticket.channel.id)?.limits ?? NONE;
}
