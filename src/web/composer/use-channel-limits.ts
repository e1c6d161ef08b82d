// The limits of the ticket's channel (attachment budget, MMS image budget, HUMAN_AGENT): what
// the composer plans a reply with. The channels the session loaded answer at once; the list is
// asked for again when a ticket opens, so a change an admin made since is followed.
import { useEffect, useState } from 'react';
import type { Channel, ChannelLimits, Ticket } from '../../shared/api-schemas.js';
import { get } from '../api/http.js';
import { useSession } from '../session/session.js';

const NONE: ChannelLimits = {};

export function useChannelLimits(ticket: Pick<Ticket, 'channel'>): ChannelLimits {
  const { channels } = useSession();
  const channelId = ticket.channel.id;
  const known = channels.find((channel) => channel.id === channelId)?.limits ?? NONE;
  const [fresh, setFresh] = useState<{ channelId: string; limits: ChannelLimits } | null>(null);
  useEffect(() => {
    let cancelled = false;
    get<{ channels: Channel[] }>('/api/channels')
      .then((list) => {
        const limits = list.channels.find((channel) => channel.id === channelId)?.limits;
        if (!cancelled && limits) setFresh({ channelId, limits });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [channelId]);
  return fresh?.channelId === channelId ? fresh.limits : known;
}
