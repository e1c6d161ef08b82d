// The visitor's live connection: authenticates with the first frame, resumes from the last
// event id after every reconnect (with growing, jittered pauses), and keeps itself alive.
import type { VisitorSocketFrame } from '../shared/webchat-api.js';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveOptions {
  url(since: number | null): string;
  token(): string | null;
  since(): number | null;
  onFrame(frame: VisitorSocketFrame): void;
  onState(state: LiveState): void;
  /** The server refused the token: the visitor must start again. */
  onUnauthorized(): void;
}

export interface Live {
  close(): void;
}

const PING_MS = 25_000;
const CLOSE_UNAUTHENTICATED = 4401;

export function connectLive(options: LiveOptions): Live {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;

  const schedule = () => {
    if (stopped) return;
    const delay = Math.min(30_000, 800 * 2 ** attempt) * (0.7 + Math.random() * 0.6);
    attempt += 1;
    retry = setTimeout(open, delay);
  };

  function open(): void {
    const token = options.token();
    if (stopped || !token) return;
    options.onState('connecting');
    const current = new WebSocket(options.url(options.since()));
    socket = current;
    current.onopen = () => {
      current.send(JSON.stringify({ type: 'auth', token }));
      ping = setInterval(() => current.readyState === WebSocket.OPEN && current.send('ping'), PING_MS);
    };
    current.onmessage = (message) => {
      let frame: VisitorSocketFrame;
      try {
        frame = JSON.parse(String(message.data)) as VisitorSocketFrame;
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        attempt = 0;
        options.onState('live');
      }
      options.onFrame(frame);
    };
    current.onclose = (event) => {
      clearInterval(ping);
      if (socket === current) socket = null;
      if (stopped) return;
      options.onState('offline');
      if (event.code === CLOSE_UNAUTHENTICATED) {
        options.onUnauthorized();
        return;
      }
      schedule();
    };
  }

  const wake = () => {
    if (!socket && !stopped && document.visibilityState === 'visible') {
      clearTimeout(retry);
      attempt = 0;
      open();
    }
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', wake);
  open();

  return {
    close() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(ping);
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      socket?.close();
    },
  };
}
