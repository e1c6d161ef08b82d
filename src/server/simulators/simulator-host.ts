// The in-app simulators: when a channel is in simulator mode, the same fake provider the tests
// use runs inside the application on a loopback port, and the channel's adapter talks to it
// instead of the real provider. A channel contributes a `ChannelSimulator` (how to start its
// fake for one channel); the host starts one on first use, restarts it when the channel's
// credentials change, and stops them all when the application stops.
import type { Logger } from 'pino';
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { ChannelRecord } from '../channels/adapter.js';
import { AppError } from '../errors.js';

export interface RunningSimulator {
  /** Replaces the provider's API host for the channel (e.g. https://api.twilio.com). */
  baseUrl: string;
  close(): Promise<void>;
}

export interface ChannelSimulator<S extends RunningSimulator = RunningSimulator> {
  kind: ChannelKind;
  /** What of the channel's configuration the running fake depends on; a change restarts it. */
  fingerprint(channel: ChannelRecord): string;
  start(channel: ChannelRecord, context: { log: Logger }): Promise<S>;
}

export interface SimulatorHost {
  readonly enabled: boolean;
  /** The fake serving a channel in simulator mode, started on first use. */
  instance<S extends RunningSimulator>(simulator: ChannelSimulator<S>, channel: ChannelRecord): Promise<S>;
  /** The fake of a channel if it is running. */
  running<S extends RunningSimulator>(simulator: ChannelSimulator<S>, channelId: string): S | undefined;
  close(): Promise<void>;
}

interface Entry {
  simulator: ChannelSimulator<RunningSimulator>;
  fingerprint: string;
  started: Promise<RunningSimulator>;
  value?: RunningSimulator;
}

export function createSimulatorHost(options: { enabled: boolean; log: Logger }): SimulatorHost {
  const entries = new Map<string, Entry>();
  let closed = false;

  const stop = async (entry: Entry): Promise<void> => {
    const running = await entry.started.catch(() => undefined);
    await running?.close();
  };

  return {
    enabled: options.enabled,
    async instance<S extends RunningSimulator>(simulator: ChannelSimulator<S>, channel: ChannelRecord) {
      if (!options.enabled) {
        throw new AppError(
          'channel_unavailable',
          `"${channel.name}" is a simulator channel, and simulators are turned off (SIMULATORS=0).`,
        );
      }
      if (closed) throw new AppError('not_ready', 'The application is stopping.');
      if (!channel.simulator || channel.kind !== simulator.kind) {
        throw new AppError('conflict', `"${channel.name}" is not a ${simulator.kind} simulator channel.`);
      }
      const fingerprint = simulator.fingerprint(channel);
      let entry = entries.get(channel.id);
      if (entry && (entry.fingerprint !== fingerprint || entry.simulator !== simulator)) {
        entries.delete(channel.id);
        await stop(entry);
        entry = undefined;
      }
      if (!entry) {
        const log = options.log.child({ simulator: simulator.kind, channelId: channel.id });
        const created: Entry = {
          simulator: simulator as unknown as ChannelSimulator<RunningSimulator>,
          fingerprint,
          started: simulator.start(channel, { log }),
        };
        entries.set(channel.id, created);
        created.started.then(
          (value) => {
            created.value = value;
            log.info({ baseUrl: value.baseUrl }, 'simulator started');
          },
          (error: unknown) => {
            if (entries.get(channel.id) === created) entries.delete(channel.id);
            log.error({ err: error }, 'simulator failed to start');
          },
        );
        entry = created;
      }
      // The entry was created by this very simulator, so its instance has the simulator's type.
      return (await entry.started) as S;
    },
    running<S extends RunningSimulator>(simulator: ChannelSimulator<S>, channelId: string) {
      const entry = entries.get(channelId);
      return entry && entry.simulator === (simulator as unknown) ? (entry.value as S | undefined) : undefined;
    },
    async close() {
      closed = true;
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map(stop));
    },
  };
}
