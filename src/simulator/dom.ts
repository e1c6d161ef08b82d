// A tiny element builder for the simulator page: no framework, just typed DOM.

type Child = Node | string | null | undefined | false;
type Props = Partial<{
  class: string;
  text: string;
  title: string;
  type: string;
  href: string;
  src: string;
  alt: string;
  placeholder: string;
  value: string;
  name: string;
  accept: string;
  multiple: boolean;
  disabled: boolean;
  autocomplete: string;
  target: string;
  data: Record<string, string>;
  aria: Record<string, string>;
  on: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'class') element.className = String(value);
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'data')
      for (const [k, v] of Object.entries(value as Record<string, string>)) element.dataset[k] = v;
    else if (key === 'aria')
      for (const [k, v] of Object.entries(value as Record<string, string>))
        element.setAttribute(`aria-${k}`, v);
    else if (key === 'on')
      for (const [event, listener] of Object.entries(value as Record<string, EventListener>))
        element.addEventListener(event, listener);
    else if (typeof value === 'boolean') {
      if (value) element.setAttribute(key, '');
    } else element.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Replaces every child of `parent`. */
export function mountInto(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => Boolean(child)));
}

export function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
