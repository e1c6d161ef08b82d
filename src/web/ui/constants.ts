// Value lists the screens iterate over. The API's schemas stay on the server side of the
// bundle; these lists are typed against them so they cannot drift.
import type { ChannelKind, TicketStatus } from '../../shared/api-schemas.js';

export const ticketStatuses: readonly TicketStatus[] = ['open', 'pending', 'solved', 'closed'];
export const channelKinds: readonly ChannelKind[] = ['whatsapp', 'instagram', 'sms', 'email', 'webchat'];
