// Fan-out of committed events to whichever process holds the listener's socket: in-process
// for the embedded profile, a broker's pub/sub at scale.
export type Listener = (message: string) => void;

export interface PubSub {
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, listener: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createMemoryPubSub(): PubSub {
  const topics = new Map<string, Set<Listener>>();
  return {
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
    async close() {
      topics.clear();
    },
  };
}
