// The customer simulator: an admin trying the product plays the customer of a channel in
// simulator mode (a phone for SMS, ...), and watches the replies arrive as the customer would.
// The page signs in with the agent's own session; each channel kind brings its own view.
import { ApiError, createApi, type SimulatorChannel } from './api.js';
import { h, mountInto } from './dom.js';
import { customerViews } from './views/index.js';

interface Me {
  csrfToken: string | null;
  agent: { name: string };
  account: { name: string };
}

const app = document.getElementById('app') as HTMLElement;
let csrf: string | null = null;
const api = createApi(() => csrf);
let unmount: (() => void) | null = null;

const params = (): URLSearchParams => new URLSearchParams(window.location.search);

function setParam(name: string, value: string | null): void {
  const next = params();
  if (value === null) next.delete(name);
  else next.set(name, value);
  const query = next.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

function topbar(me: Me | null, nav: HTMLElement | null): HTMLElement {
  return h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'brand' },
      h('strong', { text: 'Switchboard' }),
      h('span', { text: 'Customer simulator' }),
    ),
    nav,
    h(
      'div',
      { class: 'who' },
      me ? h('span', { text: `${me.agent.name} · ${me.account.name}` }) : null,
      h('a', { href: '/', class: 'button ghost', text: 'Open the inbox' }),
    ),
  );
}

function showProblem(message: string): void {
  mountInto(app, topbar(null, null), h('main', { class: 'empty' }, h('p', { text: message })));
}

function showSignIn(): void {
  const email = h('input', {
    type: 'email',
    name: 'email',
    placeholder: 'you@example.com',
    autocomplete: 'username',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    placeholder: 'Password',
    autocomplete: 'current-password',
  });
  const error = h('p', { class: 'error', aria: { live: 'polite' } });
  const form = h(
    'form',
    { class: 'card signin' },
    h('h1', { text: 'Sign in to play the customer' }),
    h('p', {
      class: 'muted',
      text: 'The simulator uses your agent account: the customers you play write to your helpdesk.',
    }),
    h('label', {}, 'E-mail', email),
    h('label', {}, 'Password', password),
    error,
    h('button', { type: 'submit', class: 'button primary', text: 'Sign in' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    api
      .post<Me>('/api/session', { email: email.value, password: password.value })
      .then(() => start())
      .catch((failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : 'Sign-in failed.';
      });
  });
  mountInto(app, topbar(null, null), h('main', { class: 'center' }, form));
}

function showChannels(me: Me, channels: SimulatorChannel[], enabled: boolean): void {
  unmount?.();
  unmount = null;
  const usable = channels.filter((channel) => customerViews[channel.kind]);
  if (!enabled) {
    showProblem('Simulators are turned off on this server (SIMULATORS=0).');
    return;
  }
  if (usable.length === 0) {
    showProblem(
      'No channel is in simulator mode yet. Create a channel with "simulator" turned on, then come back here.',
    );
    return;
  }
  const wanted = params().get('channel');
  const selected = usable.find((channel) => channel.id === wanted) ?? usable[0]!;
  setParam('channel', selected.id);
  const nav = h(
    'nav',
    { class: 'channels', aria: { label: 'Simulator channels' } },
    ...usable.map((channel) =>
      h('button', {
        class: channel.id === selected.id ? 'tab active' : 'tab',
        text: `${customerViews[channel.kind]?.label ?? channel.kind} · ${channel.name}`,
        on: {
          click: () => {
            setParam('customer', null);
            setParam('channel', channel.id);
            showChannels(me, channels, enabled);
          },
        },
      }),
    ),
  );
  const view = h('main', { class: 'view' });
  mountInto(app, topbar(me, nav), view);
  const chosen = customerViews[selected.kind];
  if (!chosen) return;
  unmount = chosen.mount(view, {
    api,
    channel: selected,
    param: (name) => params().get(name),
    setParam,
  });
}

async function start(): Promise<void> {
  try {
    const me = await api.get<Me>('/api/me');
    csrf = me.csrfToken;
    const list = await api.get<{ enabled: boolean; channels: SimulatorChannel[] }>('/api/simulator/channels');
    showChannels(me, list.channels, list.enabled);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignIn();
    else showProblem(error instanceof Error ? error.message : 'The helpdesk could not be reached.');
  }
}

void start();
