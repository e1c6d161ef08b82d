// What channels put in `message.meta` for the agent app to show, beside the text and the
// attachments. Every field is optional; the app shows what it recognises and ignores the rest.

/** Something the customer shared, shown as a link card (Instagram shares, reels, posts; WhatsApp locations). */
export interface LinkCard {
  kind: 'share' | 'ig_reel' | 'ig_post' | 'link' | 'story_reply' | 'location';
  url: string;
  title?: string;
  latitude?: number;
  longitude?: number;
}

/** A message (or part of one) the channel cannot show: say so, with the reason. */
export interface UnsupportedNote {
  /** The provider's type name (e.g. "unsupported", "location", "reaction", "malformed"). */
  kind: string;
  reason: string;
}

/** What the provider reported about a message, as it reported it (WhatsApp `errors[]`). */
export interface ProviderErrorNote {
  code: string;
  title: string;
  details?: string;
}

export interface MessageMeta {
  cards?: LinkCard[];
  unsupported?: UnsupportedNote;
  providerErrors?: ProviderErrorNote[];
  /** WhatsApp: the audio was recorded as a voice note. */
  voiceNote?: boolean;
  /** WhatsApp: the image is a sticker. */
  sticker?: { animated: boolean };
  /**
   * Instagram: the customer mentioned the business in a story. Its media is shown from `url`
   * (also the attachment's `url`) and never stored; it stops loading when the story expires.
   */
  storyMention?: { url: string };
  /** The customer replied to this earlier message (provider id). */
  replyTo?: { providerMessageId: string };
  /** Set by the core: the customer deleted the message on their side. */
  deletedByCustomer?: boolean;
  /** E-mail: the channel's automatic acknowledgement of a new request, sent by no agent. */
  acknowledgement?: boolean;
  /** Set by the core: a message the business sent from the provider's own app. */
  sentOutsideHelpdesk?: boolean;
  /** Set by the composer on a reply: send it tagged HUMAN_AGENT (Instagram, 7 days after the customer's last message). */
  humanAgentTag?: boolean;
}
