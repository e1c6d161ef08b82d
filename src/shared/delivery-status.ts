// The order delivery statuses move in, shared by the server (which never moves one back) and
// the clients (which keep the most advanced copy of a message they hear about twice).
import type { deliveryStatuses } from './api-schemas.js';

export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const deliveryRank: Record<DeliveryStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  failed: 6,
};

/** Whether a status may replace another: forward only; `failed` only before delivery; `read` and `failed` are final. */
export function canMove(from: DeliveryStatus, to: DeliveryStatus): boolean {
  if (from === to) return false;
  if (from === 'failed' || from === 'read') return false;
  if (to === 'failed') return from !== 'delivered';
  return deliveryRank[to] > deliveryRank[from];
}
