// What the widget remembers in the visitor's browser, per chat: the visitor token (so the
// conversation survives reloads), the last event seen, and whether we already asked for an
// e-mail. Storage may be blocked (private modes, strict settings): then it lasts the page.
export interface Remembered {
  token: string | null;
  lastEventId: number | null;
  contactAsked: boolean;
  open: boolean;
}

const empty = (): Remembered => ({ token: null, lastEventId: null, contactAsked: false, open: false });

export interface Memory {
  get(): Remembered;
  set(change: Partial<Remembered>): void;
}

export function createMemory(channelId: string): Memory {
  const key = `switchboard-chat:${channelId}`;
  let current = empty();
  try {
    const raw = window.localStorage.getItem(key);
    if (raw) current = { ...current, ...(JSON.parse(raw) as Partial<Remembered>) };
  } catch {
    // storage unavailable: keep it in memory
  }
  return {
    get: () => current,
    set(change) {
      current = { ...current, ...change };
      try {
        window.localStorage.setItem(key, JSON.stringify(current));
      } catch {
        // storage unavailable or full: the page keeps it
      }
    },
  };
}
