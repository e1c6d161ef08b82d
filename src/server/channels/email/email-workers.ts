// The long-running ingress of e-mail channels: an IMAP poller for each channel that reads a
// mailbox, an SMTP listener for each that asks for one. The set follows the channels table:
// it is compared every few seconds, so a channel created, changed or deleted through the API
// gets its workers started, restarted or stopped without a restart of the app.
import type { Deps } from '../../context.js';
import { toChannelRecord } from '../../domain/channels.js';
import { emailChannel } from './email-adapter.js';
import { emailLimits } from './email-limits.js';
import { startImapPoller, type PollerOptions, type RunningPoller } from './imap-poller.js';
import { startSmtpListener, type RunningListener } from './smtp-listener.js';

export interface EmailWorkers {
  /** Brings the running workers in line with the channels table now. */
  reconcile(): Promise<void>;
  poller(channelId: string): RunningPoller | undefined;
  listener(channelId: string): RunningListener | undefined;
  stop(): Promise<void>;
}

export interface EmailWorkerOptions {
  reconcileMs?: number;
  poller?: PollerOptions;
}

interface Running {
  signature: string;
  poller?: RunningPoller;
  listener?: RunningListener;
}

export async function startEmailWorkers(deps: Deps, options: EmailWorkerOptions = {}): Promise<EmailWorkers> {
  const running = new Map<string, Running>();
  const log = deps.log.child({ component: 'email-workers' });
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();

  const stopOne = async (channelId: string) => {
    const entry = running.get(channelId);
    running.delete(channelId);
    await Promise.all([entry?.poller?.stop(), entry?.listener?.stop()]);
  };

  const reconcileNow = async () => {
    if (stopped) return;
    const rows = await deps.db
      .selectFrom('channels')
      .selectAll()
      .where('kind', '=', 'email')
      .where('deletedAt', 'is', null)
      .execute();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const signature = `${row.config}\n${row.secrets}\n${row.simulator}`;
      if (running.get(row.id)?.signature === signature) continue;
      await stopOne(row.id);
      let channel;
      try {
        channel = emailChannel(toChannelRecord(row));
      } catch (error) {
        log.warn({ err: error, channelId: row.id }, 'e-mail channel configuration is not valid; not started');
        running.set(row.id, { signature });
        continue;
      }
      const entry: Running = { signature };
      running.set(row.id, entry);
      if (channel.config.imap && !channel.simulator) {
        entry.poller = startImapPoller(deps, channel, channel.config.imap, options.poller);
      }
      const port = channel.config.inbound?.smtpListen;
      if (port !== undefined) {
        try {
          entry.listener = await startSmtpListener(deps, channel, { port, host: deps.config.host });
        } catch (error) {
          log.error({ err: error, channelId: row.id, port }, 'SMTP listener could not start');
        }
      }
    }
    for (const channelId of [...running.keys()]) if (!seen.has(channelId)) await stopOne(channelId);
  };

  const reconcile = () => {
    chain = chain.then(reconcileNow).catch((error: unknown) => log.error({ err: error }, 'e-mail workers'));
    return chain;
  };
  await reconcile();
  const timer = setInterval(() => void reconcile(), options.reconcileMs ?? emailLimits.reconcileMs);
  timer.unref();
  return {
    reconcile,
    poller: (channelId) => running.get(channelId)?.poller,
    listener: (channelId) => running.get(channelId)?.listener,
    async stop() {
      clearInterval(timer);
      await chain;
      stopped = true;
      for (const channelId of [...running.keys()]) await stopOne(channelId);
    },
  };
}
