// The embeddable chat: <script src="PUBLIC_URL/widget.js" data-channel="ID" async></script>.
// It draws into a shadow root, so the host page's styles cannot reach it and its styles
// cannot leak out, and talks only to the server it was loaded from.
import { h, render } from 'preact';
import type { WidgetConfig } from '../shared/webchat-api.js';
import { createApi } from './api.js';
import { catalogs, chooseLanguage } from './i18n/index.js';
import { createMemory } from './storage.js';
import css from './styles.css?inline';
import { App, type AppProps } from './ui/App.js';

interface PublicControl {
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    SwitchboardChat?: PublicControl;
  }
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channel) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
}

function mount(script: HTMLScriptElement, config: WidgetConfig, server: string): void {
  const channelId = config.channelId;
  const host = document.createElement('div');
  host.id = 'switchboard-chat';
  host.setAttribute('data-channel', channelId);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  shadow.appendChild(style);
  const container = document.createElement('div');
  shadow.appendChild(container);
  document.body.appendChild(host);

  const language = chooseLanguage([
    script.dataset.lang,
    document.documentElement.lang,
    ...(navigator.languages ?? [navigator.language]),
    config.locale,
  ]);
  const api = createApi(server, channelId);
  const control: AppProps['control'] = {};
  const props: AppProps = {
    api,
    memory: createMemory(channelId),
    config,
    language,
    t: catalogs[language] ?? (catalogs.en as (typeof catalogs)[string]),
    control,
  };
  render(h(App, props), container);
  window.SwitchboardChat = {
    open: () => control.open?.(true),
    close: () => control.open?.(false),
    toggle: () => control.open?.(host.shadowRoot?.querySelector('.sb-panel') === null),
  };
  requestAnimationFrame(() => performance.mark('switchboard:bubble-visible'));
}

function start(): void {
  const script = findScript();
  const channelId = script?.dataset.channel;
  if (!script || !channelId) {
    console.warn('Switchboard: add data-channel="<channel id>" to the widget script tag.');
    return;
  }
  if (document.getElementById('switchboard-chat')) return;
  const server = script.dataset.server ?? new URL(script.src, document.baseURI).origin;
  createApi(server, channelId)
    .config()
    .then((config) => {
      const go = () => mount(script, config, server);
      if (document.body) go();
      else document.addEventListener('DOMContentLoaded', go, { once: true });
    })
    .catch((error: unknown) => {
      console.warn(`Switchboard: the chat could not start (${(error as Error).message}).`);
    });
}

start();
