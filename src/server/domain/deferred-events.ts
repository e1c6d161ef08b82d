// Applies provider events that arrived early (see deferred-event-job.ts): a status waits for
// the delivery it refers to, and is dropped if that never appears; an echo waits for the send
// job to record our own message, and is shown as "sent outside the helpdesk" only if none does.
import type { Deps } from '../context.js';
import { handle, type JobHandler } from '../infra/queue/job.js';
import { toChannelRecord } from './channels.js';
import {
  DEFERRED_EVENT_DELAYS_MS,
  ECHO_LOOKS,
  deferredEventJob,
  type DeferredEvent,
} from './deferred-event-job.js';
import { applyStatus } from './delivery-status.js';
import { ingestMessage } from './inbound.js';
import { transact } from './transaction.js';

/** Queues another look at an early event, or returns false when it has been looked at enough. */
export async function deferEvent(
  deps: Deps,
  channelId: string,
  event: DeferredEvent,
  tries: number,
): Promise<boolean> {
  const delayMs = DEFERRED_EVENT_DELAYS_MS[tries];
  if (delayMs === undefined) return false;
  await transact(deps, async (_tx, effects) => {
    await effects.enqueue(deferredEventJob, { channelId, tries: tries + 1, event }, { delayMs });
  });
  return true;
}

export function deferredEventHandler(deps: Deps): JobHandler<unknown> {
  return handle(deferredEventJob, async ({ channelId, tries, event }, context) => {
    const row = await deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channelId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!row) return;
    const channel = toChannelRecord(row);
    if (event.type === 'status') {
      if (await applyStatus(deps, channel, event)) return;
      if (await deferEvent(deps, channelId, event, tries)) return;
      context.log.warn(
        { providerMessageId: event.providerMessageId, status: event.status },
        'status for a message we did not send; ignored',
      );
      return;
    }
    await ingestMessage(deps, channel, event, { settleEcho: tries >= ECHO_LOOKS, tries });
  });
}
