// The e-mail channel's customer view, styled like a desktop mail client: simulated customers
// on the left, the chosen customer's mailbox (what they sent and the helpdesk's replies) in a
// message list, the selected message in a reading pane (HTML in a sandboxed frame, files
// below), and a compose pane that mails the helpdesk.
import { formatBytes, h, mountInto, timeOf } from '../dom.js';
import type { CustomerView, ViewContext } from './view.js';

interface Customer {
  address: string;
  lastAt: number;
  preview: string;
  messages: number;
}

interface MailFile {
  name: string;
  contentType: string;
  size: number;
  url: string;
}

interface Mail {
  id: string;
  direction: 'to-helpdesk' | 'to-customer';
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  status: 'delivered' | 'failed';
  at: number;
  files: MailFile[];
}

interface Overview {
  channel: { id: string; name: string; address: string };
  customers: Customer[];
}

const POLL_MS = 1500;

function readingPane(mail: Mail | undefined): HTMLElement {
  if (!mail) return h('div', { class: 'placeholder', text: 'Select a message to read it.' });
  const body = mail.html
    ? (() => {
        const frame = h('iframe', { title: 'Message', class: 'mail-frame' });
        frame.setAttribute('sandbox', '');
        frame.srcdoc = mail.html;
        return frame;
      })()
    : h('pre', { class: 'mail-text', text: mail.text });
  return h(
    'article',
    { class: 'reading' },
    h('h3', { text: mail.subject || '(no subject)' }),
    h(
      'dl',
      { class: 'headers' },
      h('dt', { text: 'From' }),
      h('dd', { text: mail.from }),
      h('dt', { text: 'To' }),
      h('dd', { text: mail.to }),
      h('dt', { text: 'Date' }),
      h('dd', { text: new Date(mail.at).toLocaleString() }),
    ),
    body,
    mail.files.length
      ? h(
          'ul',
          { class: 'files' },
          ...mail.files.map((file) =>
            h(
              'li',
              {},
              h('a', { href: file.url, target: '_blank', text: file.name }),
              h('span', { text: ` ${formatBytes(file.size)}` }),
            ),
          ),
        )
      : null,
  );
}

function mount(root: HTMLElement, context: ViewContext): () => void {
  const base = `/api/simulator/email/${context.channel.id}`;
  let customer = context.param('customer');
  let selected = context.param('mail');
  let overview: Overview | null = null;
  let mails: Mail[] = [];
  let lastKey = '';
  let stopped = false;
  let timer: number | undefined;

  const customers = h('ul', { class: 'folders' });
  const newButton = h('button', { class: 'button primary', type: 'button', text: 'New customer' });
  const hint = h('p', { class: 'hint' });
  const list = h('ul', { class: 'mail-list', aria: { label: 'Messages' } });
  const pane = h('div', { class: 'pane' });
  const subject = h('input', { name: 'subject', placeholder: 'Subject', aria: { label: 'Subject' } });
  const body = h('textarea', {
    name: 'body',
    placeholder: 'Write to the helpdesk…',
    aria: { label: 'Message' },
  });
  body.rows = 6;
  const files = h('input', { type: 'file', name: 'files', multiple: true, aria: { label: 'Attach files' } });
  const problem = h('p', { class: 'composer-error', aria: { live: 'assertive' } });
  const toLine = h('span', { class: 'to' });
  const send = h('button', { class: 'button primary', type: 'submit', text: 'Send' });
  const compose = h(
    'form',
    { class: 'compose' },
    h('div', { class: 'compose-head' }, h('strong', { text: 'New message' }), toLine),
    subject,
    body,
    h('div', { class: 'compose-foot' }, files, send),
    problem,
  );
  mountInto(
    root,
    h(
      'div',
      { class: 'email-sim' },
      h('aside', { class: 'sidebar' }, h('h2', { text: 'Customers' }), newButton, customers, hint),
      h('section', { class: 'mailbox' }, h('h2', { text: 'Inbox' }), list),
      h('section', { class: 'right' }, pane, compose),
    ),
  );

  function render(): void {
    if (overview) {
      hint.textContent = `Customers write to ${overview.channel.address}. Their mail reaches the helpdesk as a relay posts it; replies arrive here through the simulated mail server.`;
      toLine.textContent = customer ? `${customer} → ${overview.channel.address}` : 'Create a customer first';
      mountInto(
        customers,
        ...overview.customers.map((item) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                class: item.address === customer ? 'folder active' : 'folder',
                type: 'button',
                on: { click: () => choose(item.address) },
              },
              h('strong', { text: item.address }),
              h('span', { class: 'preview', text: item.preview || 'No mail yet' }),
            ),
          ),
        ),
      );
    }
    mountInto(
      list,
      ...[...mails].reverse().map((mail) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `mail-row ${mail.id === selected ? 'active' : ''} ${mail.direction}`,
              on: { click: () => select(mail.id) },
            },
            h('span', {
              class: 'who',
              text: mail.direction === 'to-customer' ? mail.from : `To: ${mail.to}`,
            }),
            h('span', { class: 'subject', text: mail.subject || '(no subject)' }),
            h('span', { class: 'when', text: `${mail.files.length ? '📎 ' : ''}${timeOf(mail.at)}` }),
            mail.status === 'failed' ? h('span', { class: 'bad', text: 'Not delivered' }) : null,
          ),
        ),
      ),
    );
    if (mails.length === 0) list.append(h('li', { class: 'muted', text: 'No mail yet.' }));
    mountInto(pane, readingPane(mails.find((mail) => mail.id === selected)));
  }

  async function refresh(): Promise<void> {
    overview = await context.api.get<Overview>(base);
    mails = customer
      ? (
          await context.api.get<{ messages: Mail[] }>(
            `${base}/customers/${encodeURIComponent(customer)}/messages`,
          )
        ).messages
      : [];
    const key = JSON.stringify([overview, mails, selected, customer]);
    if (key !== lastKey) {
      lastKey = key;
      render();
    }
  }

  function choose(address: string): void {
    customer = address;
    selected = null;
    context.setParam('customer', address);
    context.setParam('mail', null);
    void refresh();
  }

  function select(id: string): void {
    selected = id;
    context.setParam('mail', id);
    render();
  }

  newButton.addEventListener('click', () => {
    void context.api.post<Customer>(`${base}/customers`, {}).then((created) => choose(created.address));
  });

  compose.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!customer) {
      problem.textContent = 'Create a customer first.';
      return;
    }
    const form = new FormData();
    form.append('subject', subject.value);
    form.append('body', body.value);
    for (const file of files.files ?? []) form.append('files', file, file.name);
    send.disabled = true;
    problem.textContent = '';
    context.api
      .send<Mail>(`${base}/customers/${encodeURIComponent(customer)}/messages`, form)
      .then((mail) => {
        subject.value = '';
        body.value = '';
        files.value = '';
        selected = mail.id;
        return refresh();
      })
      .catch((error: unknown) => {
        problem.textContent = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        send.disabled = false;
      });
  });

  const loop = () => {
    if (stopped) return;
    refresh()
      .catch((error: unknown) => {
        problem.textContent = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        if (!stopped) timer = window.setTimeout(loop, POLL_MS);
      });
  };
  loop();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

export const emailClientView: CustomerView = { label: 'E-mail', mount };
