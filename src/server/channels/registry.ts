// The adapters this build knows, by channel kind.
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { ChannelAdapter } from './adapter.js';

export interface ChannelRegistry {
  get(kind: ChannelKind): ChannelAdapter | undefined;
  kinds(): ChannelKind[];
}

export function createChannelRegistry(adapters: ChannelAdapter[]): ChannelRegistry {
  const byKind = new Map<ChannelKind, ChannelAdapter>();
  for (const adapter of adapters) {
    if (byKind.has(adapter.kind))
      throw new Error(`Two adapters were registered for channel kind "${adapter.kind}".`);
    byKind.set(adapter.kind, adapter);
  }
  return {
    get: (kind) => byKind.get(kind),
    kinds: () => [...byKind.keys()],
  };
}
