// The account objects a channel reads to check its credentials: the WhatsApp phone number
// and the Instagram professional account (also reachable as `me`).
import type { WhatsAppAccount } from './whatsapp-payloads.js';

export function accountObject(
  id: string,
  ids: { account: WhatsAppAccount; igAccountId: string; pageId: string },
): Record<string, unknown> | undefined {
  if (id === ids.account.phoneNumberId) {
    return {
      verified_name: 'Switchboard Simulator',
      display_phone_number: ids.account.displayPhoneNumber,
      id,
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
      platform_type: 'CLOUD_API',
    };
  }
  if (id === 'me' || id === ids.igAccountId) {
    return {
      id: ids.igAccountId,
      user_id: ids.igAccountId,
      username: 'switchboard.simulator',
      name: 'Switchboard',
    };
  }
  if (id === ids.pageId)
    return { id, name: 'Switchboard', instagram_business_account: { id: ids.igAccountId } };
  return undefined;
}
