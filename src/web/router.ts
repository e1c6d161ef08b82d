// A small history-based router: the path is the state; links push, the back button pops.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
window.addEventListener('popstate', notify);

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  notify();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const usePath = (): string => useSyncExternalStore(subscribe, () => location.pathname);

export type SettingsSection = 'agents' | 'channels' | 'profile' | 'activity';

export type Route =
  | { name: 'inbox'; ticketId: string | null }
  | { name: 'settings'; section: SettingsSection }
  | { name: 'login' };

export function parseRoute(path: string): Route {
  const ticket = /^\/tickets\/([\w-]+)\/?$/.exec(path);
  if (ticket) return { name: 'inbox', ticketId: ticket[1] ?? null };
  const settings = /^\/settings(?:\/(agents|channels|profile|activity))?\/?$/.exec(path);
  if (settings)
    return { name: 'settings', section: (settings[1] as SettingsSection | undefined) ?? 'profile' };
  if (path === '/login') return { name: 'login' };
  return { name: 'inbox', ticketId: null };
}

/** Follows a link in the app without a page load, leaving modified clicks to the browser. */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
