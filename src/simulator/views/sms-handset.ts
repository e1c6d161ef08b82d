// The SMS channel's customer view: simulated customers on the left, and the chosen customer's
// phone, showing the conversation as a handset would (the customer's texts in green on the
// right, the helpdesk's replies with the pictures Twilio fetched on the left), with a composer
// for text and photos. Under each reply: what Twilio received from the helpdesk.
import { ApiError } from '../api.js';
import { formatBytes, h, mountInto, timeOf } from '../dom.js';
import type { CustomerView, ViewContext } from './view.js';

interface Customer {
  phone: string;
  lastAt: number;
  preview: string;
  messages: number;
}

interface HandsetMedia {
  url: string | null;
  contentType: string;
  size: number;
  pending: boolean;
  problem: string | null;
}

interface HandsetMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  body: string;
  status: string;
  error: string | null;
  convertedToSms: boolean;
  at: number;
  media: HandsetMedia[];
}

interface Overview {
  channel: { id: string; name: string; number: string };
  customers: Customer[];
}

const POLL_MS = 1500;

export function formatPhone(phone: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  if (us) return `+1 (${us[1]}) ${us[2]}-${us[3]}`;
  return phone.replace(/^\+(\d{2})(\d{4})(\d+)$/, '+$1 $2 $3');
}

const STATUS_WORDS: Record<string, string> = {
  accepted: 'Accepted by Twilio',
  queued: 'Queued at Twilio',
  sending: 'Sending',
  sent: 'Sent to the carrier',
  delivered: 'Delivered',
  undelivered: 'Not delivered',
  failed: 'Failed',
  read: 'Read',
  received: 'Delivered',
};

function mediaElement(item: HandsetMedia): HTMLElement {
  if (item.pending) return h('div', { class: 'media pending', text: 'Downloading…' });
  if (!item.url) return h('div', { class: 'media missing', text: item.problem ?? 'Not available' });
  if (item.contentType.startsWith('image/')) {
    return h(
      'a',
      { href: item.url, target: '_blank', class: 'media' },
      h('img', { src: item.url, alt: 'Picture message' }),
    );
  }
  if (item.contentType.startsWith('video/')) {
    const video = h('video', { src: item.url, class: 'media' });
    video.controls = true;
    return video;
  }
  if (item.contentType.startsWith('audio/')) {
    const audio = h('audio', { src: item.url });
    audio.controls = true;
    return h('div', { class: 'media file' }, audio);
  }
  return h(
    'a',
    { href: item.url, target: '_blank', class: 'media file' },
    h('span', { class: 'file-icon', text: '▤' }),
    h('span', { text: `${item.contentType || 'file'} · ${formatBytes(item.size)}` }),
  );
}

/** What the simulated Twilio received from the helpdesk for one reply. */
function receipt(message: HandsetMessage): HTMLElement {
  const pictures = message.media.length;
  const bytes = message.media.reduce((sum, item) => sum + item.size, 0);
  const kind = message.convertedToSms ? 'SMS with links' : pictures ? 'MMS' : 'SMS';
  const parts = [
    kind,
    pictures ? `${pictures} ${pictures === 1 ? 'file' : 'files'}, ${formatBytes(bytes)}` : null,
    STATUS_WORDS[message.status] ?? message.status,
  ].filter(Boolean);
  return h(
    'div',
    { class: `receipt ${message.error ? 'bad' : ''}` },
    h('span', { text: parts.join(' · ') }),
    message.error ? h('span', { class: 'why', text: message.error }) : null,
  );
}

function bubble(message: HandsetMessage): HTMLElement {
  const mine = message.direction === 'to-helpdesk';
  return h(
    'div',
    { class: `row ${mine ? 'mine' : 'theirs'}`, data: { id: message.id } },
    h(
      'div',
      { class: 'stack' },
      ...message.media.map(mediaElement),
      message.body ? h('div', { class: 'bubble', text: message.body }) : null,
      mine
        ? h('div', {
            class: `receipt ${message.status === 'failed' ? 'bad' : ''}`,
            text:
              message.status === 'failed'
                ? 'Not delivered to the helpdesk'
                : `Delivered · ${timeOf(message.at)}`,
          })
        : receipt(message),
    ),
  );
}

function mount(root: HTMLElement, context: ViewContext): () => void {
  const base = `/api/simulator/sms/${context.channel.id}`;
  let customer = context.param('customer');
  let overview: Overview | null = null;
  let lastThread = '';
  let stopped = false;
  let timer: number | undefined;
  const picked: File[] = [];

  const list = h('ul', { class: 'customer-list' });
  const country = h(
    'select',
    { name: 'country', aria: { label: 'Country of the new customer' } },
    h('option', { value: 'US', text: 'US number' }),
    h('option', { value: 'CA', text: 'Canadian number' }),
    h('option', { value: 'GB', text: 'UK number (no MMS)' }),
  );
  const newButton = h('button', { class: 'button primary', text: 'New customer', type: 'button' });
  const hint = h('p', { class: 'hint' });
  const sidebar = h(
    'aside',
    { class: 'customers' },
    h('h2', { text: 'Customers' }),
    h('div', { class: 'new-customer' }, country, newButton),
    list,
    hint,
  );

  const headerName = h('strong', { text: 'Helpdesk' });
  const headerNumber = h('small', { text: '' });
  const thread = h('div', { class: 'thread', aria: { live: 'polite' } });
  const tray = h('div', { class: 'tray' });
  const problem = h('p', { class: 'composer-error', aria: { live: 'assertive' } });
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/*,video/*,audio/*,application/pdf,text/vcard',
    multiple: true,
    class: 'hidden',
    name: 'media',
  });
  const text = h('textarea', { placeholder: 'Text Message', name: 'body', aria: { label: 'Text message' } });
  text.rows = 1;
  const send = h('button', { class: 'send', type: 'submit', aria: { label: 'Send' }, text: '↑' });
  const attach = h('button', {
    class: 'attach',
    type: 'button',
    aria: { label: 'Add photos' },
    title: 'Add photos',
    text: '+',
  });
  const composer = h('form', { class: 'composer' }, attach, fileInput, text, send);
  const screen = h(
    'div',
    { class: 'screen' },
    h(
      'div',
      { class: 'status-bar' },
      h('span', { text: '9:41' }),
      h('span', { class: 'island' }),
      h('span', { text: '5G ▮▮▮' }),
    ),
    h(
      'div',
      { class: 'thread-header' },
      h('div', { class: 'avatar', text: 'HD' }),
      h('div', { class: 'who' }, headerName, headerNumber),
    ),
    thread,
    tray,
    problem,
    composer,
  );
  const phoneLabel = h('p', { class: 'phone-label' });
  const stage = h('section', { class: 'stage' }, h('div', { class: 'phone' }, screen), phoneLabel);
  mountInto(root, h('div', { class: 'sms-sim' }, sidebar, stage));

  function renderTray(): void {
    mountInto(
      tray,
      ...picked.map((file, index) =>
        h(
          'div',
          { class: 'chip' },
          file.type.startsWith('image/')
            ? h('img', { src: URL.createObjectURL(file), alt: file.name })
            : h('span', { text: file.name }),
          h('button', {
            type: 'button',
            aria: { label: `Remove ${file.name}` },
            text: '×',
            on: {
              click: () => {
                picked.splice(index, 1);
                renderTray();
              },
            },
          }),
        ),
      ),
    );
  }

  function renderCustomers(): void {
    if (!overview) return;
    hint.textContent = '';
    hint.append(
      'Customers text the helpdesk at ',
      h('strong', { text: formatPhone(overview.channel.number) }),
      '. Their messages reach your inbox the way Twilio delivers them; a UK number shows how photos travel as links outside the US and Canada.',
    );
    mountInto(
      list,
      ...overview.customers.map((item) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: item.phone === customer ? 'customer active' : 'customer',
              on: { click: () => choose(item.phone) },
            },
            h('strong', { text: formatPhone(item.phone) }),
            h('span', { class: 'preview', text: item.preview || 'No messages yet' }),
          ),
        ),
      ),
    );
    if (overview.customers.length === 0) {
      list.append(h('li', { class: 'muted', text: 'No customers yet: create one to start texting.' }));
    }
  }

  function renderThread(messages: HandsetMessage[]): void {
    const key = JSON.stringify(messages);
    if (key === lastThread) return;
    const first = lastThread === '';
    const nearBottom = first || thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    lastThread = key;
    if (!customer) {
      mountInto(
        thread,
        h('div', { class: 'placeholder', text: 'Create a customer to start texting the helpdesk.' }),
      );
      return;
    }
    if (messages.length === 0) {
      mountInto(
        thread,
        h('div', { class: 'placeholder', text: 'Say hello: your text goes to the helpdesk.' }),
      );
      return;
    }
    mountInto(thread, ...messages.map(bubble));
    if (nearBottom) thread.scrollTop = thread.scrollHeight;
    for (const image of thread.querySelectorAll('img')) {
      image.addEventListener('load', () => {
        if (nearBottom) thread.scrollTop = thread.scrollHeight;
      });
    }
  }

  async function refresh(): Promise<void> {
    overview = await context.api.get<Overview>(base);
    headerNumber.textContent = formatPhone(overview.channel.number);
    headerName.textContent = overview.channel.name;
    renderCustomers();
    phoneLabel.textContent = customer ? `This phone: ${formatPhone(customer)}` : '';
    const enabled = Boolean(customer);
    for (const control of [text, send, attach]) control.disabled = !enabled;
    if (!customer) {
      renderThread([]);
      return;
    }
    const conversation = await context.api.get<{ messages: HandsetMessage[] }>(
      `${base}/customers/${encodeURIComponent(customer)}/messages`,
    );
    renderThread(conversation.messages);
  }

  function schedule(): void {
    if (stopped) return;
    timer = window.setTimeout(() => {
      refresh()
        .catch((error: unknown) => {
          problem.textContent = error instanceof Error ? error.message : 'The helpdesk could not be reached.';
        })
        .finally(schedule);
    }, POLL_MS);
  }

  function choose(phone: string): void {
    customer = phone;
    context.setParam('customer', phone);
    lastThread = '';
    problem.textContent = '';
    void refresh();
  }

  newButton.addEventListener('click', () => {
    newButton.disabled = true;
    context.api
      .post<Customer>(`${base}/customers`, { country: country.value })
      .then((created) => choose(created.phone))
      .catch((error: unknown) => {
        problem.textContent = error instanceof Error ? error.message : 'Could not create a customer.';
      })
      .finally(() => {
        newButton.disabled = false;
      });
  });
  attach.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    picked.push(...Array.from(fileInput.files ?? []));
    fileInput.value = '';
    renderTray();
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!customer || (!text.value.trim() && picked.length === 0)) return;
    const form = new FormData();
    form.append('body', text.value);
    for (const file of picked) form.append('media', file, file.name);
    send.disabled = true;
    problem.textContent = '';
    context.api
      .send<HandsetMessage>(`${base}/customers/${encodeURIComponent(customer)}/messages`, form)
      .then(() => {
        text.value = '';
        picked.splice(0);
        renderTray();
        return refresh();
      })
      .catch((error: unknown) => {
        problem.textContent =
          error instanceof ApiError ? error.message : 'The message could not be sent to the helpdesk.';
      })
      .finally(() => {
        send.disabled = false;
        text.focus();
      });
  });

  refresh()
    .catch((error: unknown) => {
      problem.textContent = error instanceof Error ? error.message : 'The helpdesk could not be reached.';
    })
    .finally(schedule);

  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

export const smsHandsetView: CustomerView = { label: 'Phone (SMS/MMS)', mount };
