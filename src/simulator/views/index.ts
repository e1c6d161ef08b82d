// The customer views of the simulator page, by channel kind. A channel adds its view here.
import type { ChannelKind } from '../../shared/api-schemas.js';
import { instagramDmView } from './instagram-dm.js';
import { emailClientView } from './email-client.js';
import { smsHandsetView } from './sms-handset.js';
import { whatsappChatView } from './whatsapp-chat.js';
import type { CustomerView } from './view.js';

export const customerViews: Partial<Record<ChannelKind, CustomerView>> = {
  sms: smsHandsetView,
  whatsapp: whatsappChatView,
  instagram: instagramDmView,
  email: emailClientView,
};
