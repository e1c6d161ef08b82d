// Fan-out of committed events to whichever process holds the listener's socket: in-process
// for the embedded profile, a broker's pub/sub at scale.
export type Listener = (message: string) => void;

export interface SubscribeOptions {
  /**
   * Called when messages may have been missed (the broker connection was lost and is back);
   * the subscriber catches up from its own store.
   */
  onGap?: () => void;
}

export interface PubSub {
  readonly kind: 'memory' | 'redis';
  publish(topic: string, message: string): Promise<void>;
  /** Resolves once the subscription is live: a message published after it is received. */
  subscribe(topic: string, listener: Listener, options?: SubscribeOptions): Promise<() => Promise<void>>;
  /** Fails when the broker cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryPubSub(): PubSub {
  const topics = new Map<string, Set<Listener>>();
  return {
    kind: 'memory',
    async publish(topic, message) {
      for (const listener of topics.get(topic) ?? []) listener(message);
    },
    async subscribe(topic, listener) {
      const set = topics.get(topic) ?? new Set<Listener>();
      set.add(listener);
      topics.set(topic, set);
      return async () => {
        set.delete(listener);
        if (set.size === 0) topics.delete(topic);
      };
    },
    async ping() {},
    async close() {
      topics.clear();
    },
  };
}
