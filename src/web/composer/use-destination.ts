// What the composer needs to know about where a reply goes: for SMS, whether the customer's
// number can receive MMS (US and Canada only), so the hint says beforehand that media will
// travel as a secure link. The phone-number rules are loaded only when an SMS ticket opens,
// so the app's first load does not carry the numbering plan.
import { useEffect, useState } from 'react';
import type { Contact, Ticket } from '../../shared/api-schemas.js';
import type { PlanContext } from '../../shared/channel-rules.js';
import type { OutsideNorthAmericaMedia } from '../../shared/sms-destination.js';
import { get } from '../api/http.js';

const NONE: PlanContext = {};

export function useDestination(ticket: Ticket): PlanContext {
  const [context, setContext] = useState<PlanContext>(NONE);
  const { kind, id: channelId } = ticket.channel;
  const contactId = ticket.contact.id;
  useEffect(() => {
    setContext(NONE);
    if (kind !== 'sms') return;
    let cancelled = false;
    Promise.all([
      get<Contact>(`/api/contacts/${contactId}`),
      get<{ channels: Array<{ id: string; config: Record<string, unknown> }> }>('/api/channels'),
      import('../../shared/sms-destination.js'),
    ])
      .then(([contact, list, { smsPlanContext }]) => {
        if (cancelled) return;
        const number =
          contact.identities.find((identity) => identity.channelId === channelId)?.externalId ??
          contact.phone;
        const policy = list.channels.find((channel) => channel.id === channelId)?.config.outsideNorthAmerica;
        setContext(
          smsPlanContext(number, policy === 'send' ? 'send' : ('link' satisfies OutsideNorthAmericaMedia)),
        );
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [kind, channelId, contactId]);
  return context;
}
