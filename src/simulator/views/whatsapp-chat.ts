// The WhatsApp channel's customer view: a WhatsApp chat with the business on the customer's
// phone (their messages in green with ticks, the helpdesk's replies in white with what
// WhatsApp received and any error under them), a composer for text, photos, voice notes and
// documents, and things the customer can do: share a location, send something WhatsApp cannot
// share, read replies (blue ticks), or let the 24-hour window lapse.
import { formatBytes, h, timeOf } from '../dom.js';
import {
  mountChat,
  mediaElement,
  type ChatActions,
  type ChatMessage,
  type ChatProduct,
} from './chat-frame.js';
import type { CustomerView } from './view.js';

const STATUS_WORDS: Record<string, string> = {
  accepted: 'Accepted by WhatsApp',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
};

export function formatWaId(waId: string): string {
  const us = /^1(\d{3})(\d{3})(\d{4})$/.exec(waId);
  return us ? `+1 ${us[1]}-${us[2]}-${us[3]}` : `+${waId}`;
}

function ticks(message: ChatMessage): HTMLElement | null {
  if (message.direction !== 'to-helpdesk') return null;
  if (message.status === 'failed')
    return h('span', { class: 'ticks bad', title: 'Not delivered', text: '!' });
  const double = message.status === 'delivered' || message.status === 'read';
  return h('span', {
    class: `ticks ${message.status === 'read' ? 'read' : ''}`,
    title: STATUS_WORDS[message.status] ?? message.status,
    text: double ? '✓✓' : '✓',
  });
}

/** What the simulated WhatsApp received from the helpdesk for one reply. */
function receipt(message: ChatMessage): HTMLElement {
  const media = message.media[0];
  const parts = [
    media
      ? `${media.kind}${media.contentType ? ` (${media.contentType})` : ''}, ${formatBytes(media.size)}`
      : 'text',
    message.text && media ? 'with caption' : null,
    STATUS_WORDS[message.status] ?? message.status,
  ].filter(Boolean);
  return h(
    'div',
    { class: `receipt ${message.error ? 'bad' : ''}` },
    h('span', { text: `WhatsApp received: ${parts.join(' · ')}` }),
    message.error ? h('span', { class: 'why', text: message.error }) : null,
  );
}

function message(item: ChatMessage): HTMLElement {
  const mine = item.direction === 'to-helpdesk';
  const sticker = item.media[0]?.kind === 'sticker';
  const body = h(
    'div',
    { class: `bubble ${sticker ? 'bare' : ''}` },
    ...item.media.map((media) => mediaElement(media, mine ? 'Your photo' : 'Photo from the business')),
    item.card
      ? h(
          'a',
          { class: 'card-link', href: item.card.url, target: '_blank' },
          h('strong', { text: item.card.title ?? item.card.kind }),
          h('small', { text: item.card.url }),
        )
      : null,
    item.text ? h('div', { class: 'text', text: item.text }) : null,
    item.note && !item.card ? h('div', { class: 'note', text: item.note }) : null,
    h('div', { class: 'meta' }, h('span', { text: timeOf(item.at) }), ticks(item)),
  );
  return h(
    'div',
    { class: `row ${mine ? 'mine' : 'theirs'}`, data: { id: item.id } },
    h('div', { class: 'stack' }, body, mine ? null : receipt(item)),
  );
}

function tools(actions: ChatActions, readBox: HTMLInputElement): HTMLElement[] {
  let windowState: 'open' | 'closed' = 'open';
  const windowButton = h('button', { class: 'button', type: 'button', text: 'Let the 24-hour window lapse' });
  const windowNote = h('p', {
    class: 'muted small',
    text: 'WhatsApp lets a business write freely for 24 hours after the customer’s last message.',
  });
  windowButton.addEventListener('click', () => {
    const customer = actions.customer();
    if (!customer) return;
    const next = windowState === 'open' ? 'closed' : 'open';
    actions.api
      .post(`${actions.base}/customers/${customer}/window`, { state: next })
      .then(() => {
        windowState = next;
        windowButton.textContent =
          next === 'closed' ? 'Open the window again' : 'Let the 24-hour window lapse';
        windowNote.textContent =
          next === 'closed'
            ? 'Window closed: replies from the helpdesk now fail with error 131047 until you write again.'
            : 'WhatsApp lets a business write freely for 24 hours after the customer’s last message.';
      })
      .catch((error: unknown) => actions.problem(error instanceof Error ? error.message : 'Failed.'));
  });
  return [
    h('button', {
      class: 'button',
      type: 'button',
      text: 'Share a location',
      on: { click: () => void actions.send({ special: 'location' }) },
    }),
    h('button', {
      class: 'button',
      type: 'button',
      text: 'Send something WhatsApp can’t share',
      on: { click: () => void actions.send({ special: 'unsupported' }) },
    }),
    windowButton,
    windowNote,
    h('label', { class: 'option' }, readBox, 'Read replies as they arrive (blue ticks)'),
  ];
}

async function readReplies(
  messages: ChatMessage[],
  actions: ChatActions,
  readBox: HTMLInputElement,
): Promise<void> {
  const customer = actions.customer();
  const unread = messages.some((item) => item.direction === 'to-customer' && item.status === 'delivered');
  if (!customer || !unread || !readBox.checked || document.hidden) return;
  await actions.api.post(`${actions.base}/customers/${customer}/read`, {});
}

function whatsappProduct(): ChatProduct {
  const readBox = h('input', { type: 'checkbox', name: 'read' });
  readBox.checked = true;
  return {
    kind: 'whatsapp',
    rootClass: 'wa-sim',
    newCustomerLabel: 'New WhatsApp customer',
    placeholder: 'Message',
    accept: 'image/*,video/*,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt',
    header: (overview) =>
      h(
        'div',
        { class: 'wa-header' },
        h('span', { class: 'back', text: '‹' }),
        h('div', { class: 'avatar', text: overview.channel.name.slice(0, 1).toUpperCase() }),
        h(
          'div',
          { class: 'who' },
          h('strong', { text: overview.channel.name }),
          h('small', { text: `Business account · ${overview.channel.number ?? ''}` }),
        ),
      ),
    message,
    label: (customer) => `This phone: ${customer.name}, ${formatWaId(customer.id)}`,
    options: [
      { field: 'voice', label: 'Send audio as a voice note' },
      { field: 'document', label: 'Send files as documents' },
    ],
    tools: (actions) => tools(actions, readBox),
    hint: (overview) => [
      'Customers write to ',
      h('strong', { text: overview.channel.number ?? 'the business number' }),
      ' on WhatsApp. Each photo or file reaches the helpdesk as its own message, signed the way Meta signs webhooks; replies arrive here as WhatsApp delivers them.',
    ],
    afterRefresh: (messages, actions) => readReplies(messages, actions, readBox),
  };
}

export const whatsappChatView: CustomerView = {
  label: 'WhatsApp',
  mount: (root, context) => mountChat(root, context, whatsappProduct()),
};
