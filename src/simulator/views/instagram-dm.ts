// The Instagram channel's customer view: a DM thread with the business in the customer's
// Instagram app (their messages in blue on the right, photos on their own, the helpdesk's
// replies in grey with what Instagram fetched under them), a composer for text and files, and
// things the customer can do: mention the business in a story, share a post or a reel, send
// photos whose links have already expired, send something Instagram does not share with
// apps, unsend a message, or let the 24-hour window lapse.
import { formatBytes, h, timeOf } from '../dom.js';
import {
  mountChat,
  mediaElement,
  type ChatActions,
  type ChatMessage,
  type ChatProduct,
} from './chat-frame.js';
import type { CustomerView } from './view.js';

function unsend(item: ChatMessage, actions: ChatActions): HTMLElement | null {
  const customer = actions.customer();
  if (item.direction !== 'to-helpdesk' || item.status === 'unsent' || !customer) return null;
  return h('button', {
    class: 'unsend',
    type: 'button',
    text: 'Unsend',
    on: {
      click: () => {
        actions.api
          .post(`${actions.base}/customers/${customer}/messages/${item.id}/unsend`, {})
          .then(() => actions.refresh())
          .catch((error: unknown) => actions.problem(error instanceof Error ? error.message : 'Failed.'));
      },
    },
  });
}

/** What the simulated Instagram fetched from the helpdesk for one reply. */
function receipt(item: ChatMessage): HTMLElement {
  const media = item.media[0];
  const parts = [
    media
      ? `Instagram fetched ${media.kind} (${media.contentType}), ${formatBytes(media.size)}`
      : 'Text message',
    item.note,
  ].filter(Boolean);
  return h('div', { class: `receipt ${item.error ? 'bad' : ''}` }, h('span', { text: parts.join(' · ') }));
}

function message(item: ChatMessage, actions: ChatActions): HTMLElement {
  const mine = item.direction === 'to-helpdesk';
  const story = item.note?.startsWith('Mentioned');
  const unsent = item.status === 'unsent';
  const content: Array<HTMLElement | null> = unsent
    ? [h('div', { class: 'note', text: 'You unsent a message' })]
    : [
        story ? h('div', { class: 'note', text: item.note ?? '' }) : null,
        ...item.media.map((media) =>
          h(
            'div',
            { class: story ? 'story' : '' },
            mediaElement(media, mine ? 'Your photo' : 'Photo from the business'),
          ),
        ),
        item.card
          ? h(
              'a',
              { class: 'card-link', href: item.card.url, target: '_blank' },
              h('span', { class: 'card-kind', text: item.card.kind === 'ig_reel' ? '▶ Reel' : '▦ Post' }),
              h('strong', { text: item.card.title ?? item.card.url }),
              h('small', { text: item.card.url }),
            )
          : null,
        item.text ? h('div', { class: 'bubble', text: item.text }) : null,
        item.note && !story && (mine || !item.media.length)
          ? h('div', { class: 'note', text: item.note })
          : null,
      ];
  return h(
    'div',
    { class: `row ${mine ? 'mine' : 'theirs'}`, data: { id: item.id } },
    h(
      'div',
      { class: 'stack' },
      ...content,
      mine
        ? h(
            'div',
            { class: `receipt ${item.status === 'failed' ? 'bad' : ''}` },
            h('span', {
              text:
                item.status === 'failed'
                  ? 'Not delivered to the helpdesk'
                  : `${unsent ? 'Unsent' : 'Sent'} · ${timeOf(item.at)}`,
            }),
            unsend(item, actions),
          )
        : receipt(item),
    ),
  );
}

function tools(actions: ChatActions): HTMLElement[] {
  const button = (text: string, special: string) =>
    h('button', {
      class: 'button',
      type: 'button',
      text,
      on: { click: () => void actions.send({ special }) },
    });
  const windowSelect = h(
    'select',
    { name: 'window', aria: { label: 'Reply window' } },
    h('option', { value: 'open', text: 'Window open (last message < 24 h)' }),
    h('option', { value: 'human-agent', text: 'Window closed: HUMAN_AGENT replies only (< 7 days)' }),
    h('option', { value: 'closed', text: 'Window closed: no replies (> 7 days)' }),
  );
  windowSelect.addEventListener('change', () => {
    const customer = actions.customer();
    if (!customer) return;
    actions.api
      .post(`${actions.base}/customers/${customer}/window`, { state: windowSelect.value })
      .catch((error: unknown) => actions.problem(error instanceof Error ? error.message : 'Failed.'));
  });
  return [
    button('Mention the business in a story', 'story_mention'),
    button('Share a post', 'share'),
    button('Share a reel', 'ig_reel'),
    button('Send the picked photos with links that already expired', 'expired'),
    button('Send something Instagram doesn’t share', 'unsupported'),
    h('label', { class: 'option column' }, 'Reply window', windowSelect),
    h('p', {
      class: 'muted small',
      text: 'A story mention uses the first picked photo, or a made-up story. Writing again opens the window.',
    }),
  ];
}

const product: ChatProduct = {
  kind: 'instagram',
  rootClass: 'ig-sim',
  newCustomerLabel: 'New Instagram customer',
  placeholder: 'Message…',
  accept: 'image/*,video/*,audio/*,application/pdf',
  header: (overview) =>
    h(
      'div',
      { class: 'ig-header' },
      h('span', { class: 'back', text: '‹' }),
      h(
        'div',
        { class: 'ring' },
        h('div', { class: 'avatar', text: overview.channel.name.slice(0, 1).toUpperCase() }),
      ),
      h(
        'div',
        { class: 'who' },
        h('strong', { text: overview.channel.handle ?? overview.channel.name }),
        h('small', { text: `${overview.channel.name} · Business` }),
      ),
    ),
  message,
  label: (customer) => `This app: @${customer.name}`,
  tools,
  hint: (overview) => [
    'Customers write to ',
    h('strong', { text: `@${overview.channel.handle ?? ''}` }),
    '. Each photo or file reaches the helpdesk as its own message, on a CDN link that expires, the way Instagram delivers it.',
  ],
};

export const instagramDmView: CustomerView = {
  label: 'Instagram',
  mount: (root, context) => mountChat(root, context, product),
};
