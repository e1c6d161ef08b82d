// What the WhatsApp and Instagram customer views share: simulated customers on the left, the
// chosen customer's phone in the middle (a chat app the product styles), a panel of things
// the customer can do beside it, a composer for text and files, and polling.
import { ApiError } from '../api.js';
import { formatBytes, h, mountInto } from '../dom.js';
import type { ViewContext } from './view.js';

export interface ChatCustomer {
  id: string;
  name: string;
  lastAt: number;
  preview: string;
  messages: number;
}

export interface ChatMedia {
  kind: string;
  url: string | null;
  contentType: string;
  size: number;
  name: string | null;
  voice: boolean;
  problem: string | null;
}

export interface ChatMessage {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  text: string;
  media: ChatMedia[];
  card: { kind: string; url: string; title?: string } | null;
  note: string | null;
  status: string;
  error: string | null;
  at: number;
}

export interface ChatOverview {
  channel: { id: string; name: string; number?: string; handle?: string };
  customers: ChatCustomer[];
}

/** What a product brings: its look, its bubbles, its options and its actions. */
export interface ChatProduct {
  kind: 'whatsapp' | 'instagram';
  rootClass: string;
  newCustomerLabel: string;
  placeholder: string;
  /** The top of the chat screen (business name, avatar). */
  header(overview: ChatOverview): HTMLElement;
  /** One message, as the product's app shows it. */
  message(message: ChatMessage, actions: ChatActions): HTMLElement;
  /** Who the customer is, under the phone. */
  label(customer: ChatCustomer): string;
  /** Options added to each message sent (e.g. "as a voice note"), as form fields. */
  options?: Array<{ field: string; label: string }>;
  /** Things the customer can do besides writing. */
  tools(actions: ChatActions): HTMLElement[];
  /** Text in the customer list under the heading. */
  hint(overview: ChatOverview): Array<string | Node>;
  /** Called after each refresh with the chat shown (e.g. to read it). */
  afterRefresh?(messages: ChatMessage[], actions: ChatActions): Promise<void>;
  accept: string;
}

export interface ChatActions {
  base: string;
  customer(): string | null;
  api: ViewContext['api'];
  /** Sends the composer's content plus these extra fields. */
  send(extra?: Record<string, string>): Promise<void>;
  refresh(): Promise<void>;
  problem(message: string): void;
}

export function mediaElement(item: ChatMedia, alt: string): HTMLElement {
  if (!item.url) {
    return h('div', {
      class: `media ${item.problem ? 'missing' : 'pending'}`,
      text: item.problem ?? 'Downloading…',
    });
  }
  if (item.contentType.startsWith('image/')) {
    return h(
      'a',
      { href: item.url, target: '_blank', class: `media ${item.kind === 'sticker' ? 'sticker' : ''}` },
      h('img', { src: item.url, alt }),
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
    return h(
      'div',
      { class: `media file audio ${item.voice ? 'voice' : ''}` },
      h('span', { class: 'file-icon', text: item.voice ? '●' : '♪' }),
      audio,
    );
  }
  return h(
    'a',
    { href: item.url, target: '_blank', class: 'media file document' },
    h('span', { class: 'file-icon', text: '▤' }),
    h(
      'span',
      { class: 'file-name' },
      h('strong', { text: item.name ?? 'Document' }),
      h('small', { text: `${item.contentType || 'file'} · ${formatBytes(item.size)}` }),
    ),
  );
}

export function mountChat(root: HTMLElement, context: ViewContext, product: ChatProduct): () => void {
  const base = `/api/simulator/${product.kind}/${context.channel.id}`;
  let customer = context.param('customer');
  let overview: ChatOverview | null = null;
  let lastThread = '';
  let stopped = false;
  let timer: number | undefined;
  const picked: File[] = [];

  const list = h('ul', { class: 'customer-list' });
  const newButton = h('button', { class: 'button primary', text: product.newCustomerLabel, type: 'button' });
  const hint = h('p', { class: 'hint' });
  const sidebar = h(
    'aside',
    { class: 'customers' },
    h('h2', { text: 'Customers' }),
    h('div', { class: 'new-customer' }, newButton),
    list,
    hint,
  );
  const header = h('div', { class: 'chat-header' });
  const thread = h('div', { class: 'thread', aria: { live: 'polite' } });
  const tray = h('div', { class: 'tray' });
  const problem = h('p', { class: 'composer-error', aria: { live: 'assertive' } });
  const fileInput = h('input', {
    type: 'file',
    accept: product.accept,
    multiple: true,
    class: 'hidden',
    name: 'media',
  });
  const text = h('textarea', { placeholder: product.placeholder, name: 'text', aria: { label: 'Message' } });
  text.rows = 1;
  const send = h('button', { class: 'send', type: 'submit', aria: { label: 'Send' }, text: '➤' });
  const attach = h('button', {
    class: 'attach',
    type: 'button',
    aria: { label: 'Attach files' },
    title: 'Attach',
    text: '+',
  });
  const options = (product.options ?? []).map((option) => {
    const input = h('input', { type: 'checkbox', name: option.field });
    return { field: option.field, input, element: h('label', { class: 'option' }, input, option.label) };
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
    header,
    thread,
    tray,
    problem,
    composer,
  );
  const phoneLabel = h('p', { class: 'phone-label' });
  const toolsPanel = h('aside', { class: 'tools' });
  const stage = h(
    'section',
    { class: 'stage' },
    h('div', { class: 'phone' }, screen),
    phoneLabel,
    options.length ? h('div', { class: 'options' }, ...options.map((option) => option.element)) : null,
  );
  mountInto(root, h('div', { class: `chat-sim ${product.rootClass}` }, sidebar, stage, toolsPanel));

  const report = (error: unknown, fallback: string): void => {
    problem.textContent =
      error instanceof ApiError ? error.message : error instanceof Error ? error.message : fallback;
  };

  const actions: ChatActions = {
    base,
    customer: () => customer,
    api: context.api,
    send: (extra = {}) => submit(extra),
    refresh: () => refresh(),
    problem: (message) => {
      problem.textContent = message;
    },
  };

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
    mountInto(hint, ...product.hint(overview));
    mountInto(
      list,
      ...overview.customers.map((item) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: item.id === customer ? 'customer active' : 'customer',
              on: { click: () => choose(item.id) },
            },
            h('strong', { text: item.name }),
            h('span', { class: 'preview', text: item.preview || 'No messages yet' }),
          ),
        ),
      ),
    );
    if (overview.customers.length === 0) {
      list.append(h('li', { class: 'muted', text: 'No customers yet: create one to start writing.' }));
    }
  }

  function renderThread(messages: ChatMessage[]): void {
    const key = JSON.stringify(messages);
    if (key === lastThread) return;
    const first = lastThread === '';
    const nearBottom = first || thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    lastThread = key;
    if (!customer) {
      mountInto(
        thread,
        h('div', { class: 'placeholder', text: 'Create a customer to start writing to the helpdesk.' }),
      );
      return;
    }
    if (messages.length === 0) {
      mountInto(
        thread,
        h('div', { class: 'placeholder', text: 'Say hello: your message goes to the helpdesk.' }),
      );
      return;
    }
    mountInto(thread, ...messages.map((message) => product.message(message, actions)));
    if (nearBottom) thread.scrollTop = thread.scrollHeight;
    for (const image of thread.querySelectorAll('img')) {
      image.addEventListener('load', () => {
        if (nearBottom) thread.scrollTop = thread.scrollHeight;
      });
    }
  }

  async function refresh(): Promise<void> {
    overview = await context.api.get<ChatOverview>(base);
    mountInto(header, product.header(overview));
    renderCustomers();
    const current = overview.customers.find((item) => item.id === customer);
    phoneLabel.textContent = current ? product.label(current) : '';
    const enabled = Boolean(customer);
    for (const control of [text, send, attach]) control.disabled = !enabled;
    toolsPanel.classList.toggle('off', !enabled);
    for (const control of toolsPanel.querySelectorAll<HTMLButtonElement | HTMLSelectElement>(
      'button, select',
    )) {
      control.disabled = !enabled;
    }
    if (!customer) {
      renderThread([]);
      return;
    }
    const conversation = await context.api.get<{ messages: ChatMessage[] }>(
      `${base}/customers/${encodeURIComponent(customer)}/messages`,
    );
    renderThread(conversation.messages);
    await product.afterRefresh?.(conversation.messages, actions);
  }

  function schedule(): void {
    if (stopped) return;
    timer = window.setTimeout(() => {
      refresh()
        .catch((error: unknown) => report(error, 'The helpdesk could not be reached.'))
        .finally(schedule);
    }, 1500);
  }

  function choose(id: string): void {
    customer = id;
    context.setParam('customer', id);
    lastThread = '';
    problem.textContent = '';
    void refresh();
  }

  async function submit(extra: Record<string, string>): Promise<void> {
    if (!customer) return;
    const form = new FormData();
    form.append('text', text.value);
    for (const option of options) if (option.input.checked) form.append(option.field, '1');
    for (const [field, value] of Object.entries(extra)) form.append(field, value);
    for (const file of picked) form.append('media', file, file.name);
    send.disabled = true;
    problem.textContent = '';
    try {
      await context.api.send(`${base}/customers/${encodeURIComponent(customer)}/messages`, form);
      text.value = '';
      picked.splice(0);
      renderTray();
      await refresh();
    } catch (error) {
      report(error, 'The message could not be sent to the helpdesk.');
    } finally {
      send.disabled = false;
      text.focus();
    }
  }

  newButton.addEventListener('click', () => {
    newButton.disabled = true;
    context.api
      .post<ChatCustomer>(`${base}/customers`, {})
      .then((created) => choose(created.id))
      .catch((error: unknown) => report(error, 'Could not create a customer.'))
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
    if (!text.value.trim() && picked.length === 0) return;
    void submit({});
  });

  mountInto(toolsPanel, h('h2', { text: 'The customer can also…' }), ...product.tools(actions));
  refresh()
    .catch((error: unknown) => report(error, 'The helpdesk could not be reached.'))
    .finally(schedule);

  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
