/** Promises keyed by id that resolve when the value arrives, whether asked before or after. */
export function keyedWaiters<V>(): { wait(key: string): Promise<V>; resolve(key: string, value: V): void } {
  const pending = new Map<string, { promise: Promise<V>; resolve: (value: V) => void }>();
  const entry = (key: string) => {
    let found = pending.get(key);
    if (!found) {
      let resolve: (value: V) => void = () => undefined;
      const promise = new Promise<V>((done) => {
        resolve = done;
      });
      found = { promise, resolve };
      pending.set(key, found);
    }
    return found;
  };
  return { wait: (key) => entry(key).promise, resolve: (key, value) => entry(key).resolve(value) };
}
