// Redis pub/sub: one connection publishes (shared with other commands), one subscribes; each
// topic is subscribed once per process and its messages fanned out to the process's
// listeners. ioredis resubscribes after a reconnect; listeners are then told that messages
// may have been missed, so they catch up from the event log.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis } from '../redis/redis-connection.js';
import type { Listener, PubSub, SubscribeOptions } from './pubsub.js';

interface Entry {
  listener: Listener;
  onGap: (() => void) | undefined;
}

interface Topic {
  entries: Set<Entry>;
  /** Settles when the SUBSCRIBE that opened this topic was acknowledged. */
  live: Promise<unknown>;
}

export interface RedisPubSubOptions {
  /** Publishes and answers pings; may be shared with other commands. */
  publisher: Redis;
  /** Dedicated to this pub/sub: in subscriber mode a connection can do nothing else. */
  subscriber: Redis;
  /** Prepended to every channel name, so deployments (or tests) sharing a Redis stay apart. */
  prefix: string;
  log: Logger;
}

export function createRedisPubSub(options: RedisPubSubOptions): PubSub {
  const { publisher, subscriber, prefix, log } = options;
  const topics = new Map<string, Topic>();
  const channelOf = (topic: string) => `${prefix}${topic}`;

  subscriber.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(prefix)) return;
    const topic = topics.get(channel.slice(prefix.length));
    if (!topic) return;
    for (const entry of [...topic.entries]) {
      try {
        entry.listener(message);
      } catch (error) {
        log.warn({ err: error, channel }, 'a pub/sub listener failed');
      }
    }
  });

  // A 'ready' after a 'close' follows a lost connection, during which Redis dropped what was
  // published.
  let connected = subscriber.status === 'ready';
  subscriber.on('ready', () => {
    if (connected) return;
    connected = true;
    // ioredis has sent the SUBSCRIBEs again by now; a PING queued behind them answers once
    // they are live, and only then may listeners read what they missed.
    void subscriber.ping().then(
      () => {
        for (const topic of topics.values())
          for (const entry of topic.entries) {
            try {
              entry.onGap?.();
            } catch (error) {
              log.warn({ err: error }, 'a pub/sub gap handler failed');
            }
          }
      },
      (error: unknown) => log.warn({ err: error }, 'Redis did not answer after reconnecting'),
    );
  });
  subscriber.on('close', () => {
    if (subscriber.status !== 'end') connected = false;
  });

  return {
    kind: 'redis',
    async publish(topic, message) {
      await publisher.publish(channelOf(topic), message);
    },
    async subscribe(name, listener, subscribeOptions: SubscribeOptions = {}) {
      let topic = topics.get(name);
      if (!topic) {
        // Commands on one connection run in order, so an UNSUBSCRIBE of a topic that emptied
        // earlier cannot overtake this SUBSCRIBE.
        topic = { entries: new Set(), live: subscriber.subscribe(channelOf(name)) };
        topics.set(name, topic);
      }
      const entry: Entry = { listener, onGap: subscribeOptions.onGap };
      topic.entries.add(entry);
      const current = topic;
      try {
        await current.live;
      } catch (error) {
        current.entries.delete(entry);
        if (current.entries.size === 0 && topics.get(name) === current) topics.delete(name);
        throw error;
      }
      return async () => {
        if (!current.entries.delete(entry)) return;
        if (current.entries.size > 0 || topics.get(name) !== current) return;
        topics.delete(name);
        await subscriber.unsubscribe(channelOf(name)).catch((error: unknown) => {
          log.debug({ err: error, topic: name }, 'could not unsubscribe');
        });
      };
    },
    async ping() {
      await Promise.all([publisher.ping(), subscriber.ping()]);
    },
    async close() {
      topics.clear();
      subscriber.removeAllListeners('message');
      await closeRedis(subscriber);
    },
  };
}
