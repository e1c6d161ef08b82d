// Channels: created by admins with the configuration their adapter validates. Secret fields
// are kept apart and never shown back.
import { z } from 'zod';
import type { Channel, ChannelKind, ChannelLimits } from '../../shared/api-schemas.js';
import type { ChannelAdapter, ChannelRecord } from '../channels/adapter.js';
import type { Deps } from '../context.js';
import { AppError, notFound, validationIssue, valueAt } from '../errors.js';
import type { Db } from '../infra/db/connect.js';
import type { Row } from '../infra/db/schema.js';
import { newId } from '../infra/ids.js';
import { parseJsonObject } from './json.js';
import { presentChannel } from './views.js';

function adapterFor(deps: Pick<Deps, 'channels'>, kind: ChannelKind): ChannelAdapter {
  const adapter = deps.channels.get(kind);
  if (!adapter) {
    throw new AppError('validation_failed', `Channels of kind "${kind}" are not available in this build.`, {
      field: 'kind',
    });
  }
  return adapter;
}

function validateConfig(
  adapter: ChannelAdapter,
  config: unknown,
): { config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const parsed = adapter.configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    const field = ['config', ...path].join('.');
    throw new AppError('validation_failed', `${field}: ${issue?.message ?? 'is invalid'}.`, {
      field,
      issue: issue?.code === 'unrecognized_keys' ? 'unknown_field' : validationIssue(valueAt(config, path)),
    });
  }
  return splitSecrets(parsed.data as Record<string, unknown>, adapter.secretFields);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Moves the secret fields out of a configuration. A field is a top-level key or a dotted
 * path into a nested object (`smtp.pass`); the secret keeps its place in the secrets object.
 */
export function splitSecrets(
  all: Record<string, unknown>,
  secretFields: readonly string[],
): { config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const config: Record<string, unknown> = structuredClone(all);
  const secrets: Record<string, unknown> = {};
  for (const field of secretFields) {
    const path = field.split('.');
    const last = path.pop() as string;
    let from: unknown = config;
    let to = secrets;
    for (const key of path) {
      from = isObject(from) ? from[key] : undefined;
      if (!isObject(from)) break;
      to = isObject(to[key]) ? (to[key] as Record<string, unknown>) : (to[key] = {});
    }
    if (isObject(from) && last in from) {
      to[last] = from[last];
      delete from[last];
    }
  }
  return { config, secrets };
}

/** Puts secrets back into their places in a configuration (the inverse of `splitSecrets`). */
export function mergeSecrets(
  config: Record<string, unknown>,
  secrets: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(secrets)) {
    const current = merged[key];
    merged[key] = isObject(value) && isObject(current) ? mergeSecrets(current, value) : value;
  }
  return merged;
}

export function webhookUrlOf(
  deps: Pick<Deps, 'channels' | 'config'>,
  row: Pick<Row<'channels'>, 'kind' | 'id'>,
): string | null {
  return deps.channels.get(row.kind)?.webhookUrl?.(deps.config.publicUrl, row.id) ?? null;
}

/** Every URL to paste into the provider's console, labelled. */
export function webhookUrlsOf(
  deps: Pick<Deps, 'channels' | 'config'>,
  row: Pick<Row<'channels'>, 'kind' | 'id'>,
): Array<{ key: string; label: string; url: string }> {
  const adapter = deps.channels.get(row.kind);
  const listed = adapter?.webhookUrls?.(deps.config.publicUrl, row.id);
  if (listed) return listed;
  const single = webhookUrlOf(deps, row);
  return single ? [{ key: 'webhook', label: 'Webhook', url: single }] : [];
}

/** The channel's limits for the composer, from its stored configuration (secrets are kept apart). */
export function limitsOf(
  deps: Pick<Deps, 'channels'>,
  row: Pick<Row<'channels'>, 'kind' | 'config'>,
): ChannelLimits {
  return deps.channels.get(row.kind)?.limits?.(parseJsonObject(row.config)) ?? {};
}

const present = (deps: Pick<Deps, 'channels' | 'config'>, row: Row<'channels'>): Channel => {
  const channel = presentChannel(row, webhookUrlOf(deps, row), webhookUrlsOf(deps, row), limitsOf(deps, row));
  const install = deps.channels
    .get(row.kind)
    ?.install?.(deps.config.publicUrl, row.id, { demo: deps.config.simulators });
  return install ? { ...channel, install } : channel;
};

export function toChannelRecord(row: Row<'channels'>): ChannelRecord {
  return {
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    name: row.name,
    config: mergeSecrets(parseJsonObject(row.config), parseJsonObject(row.secrets)),
    simulator: row.simulator === 1,
  };
}

export const newChannelSchema = z.strictObject({
  kind: z.enum(['email', 'webchat', 'sms', 'whatsapp', 'instagram']),
  name: z.string().trim().min(1).max(80),
  config: z.record(z.string(), z.unknown()).default({}),
  simulator: z.boolean().optional(),
});

export async function createChannel(
  deps: Deps,
  accountId: string,
  input: z.infer<typeof newChannelSchema>,
): Promise<Channel> {
  const adapter = adapterFor(deps, input.kind);
  // A simulator channel gets made-up credentials its in-app fake accepts; given values win.
  const given = input.simulator ? { ...adapter.simulatorConfig?.(), ...input.config } : input.config;
  const { config, secrets } = validateConfig(adapter, given);
  const now = deps.now();
  const row = await deps.db
    .insertInto('channels')
    .values({
      id: newId(now),
      accountId,
      kind: input.kind,
      name: input.name,
      config: JSON.stringify(config),
      secrets: JSON.stringify(secrets),
      simulator: input.simulator ? 1 : 0,
      health: 'ok',
      healthReason: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(deps, row);
}

export async function getChannelRow(db: Db, accountId: string, channelId: string): Promise<Row<'channels'>> {
  const row = await db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('The channel');
  return row;
}

export async function listChannels(deps: Deps, accountId: string): Promise<Channel[]> {
  const rows = await deps.db
    .selectFrom('channels')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('deletedAt', 'is', null)
    .orderBy('createdAt')
    .execute();
  return rows.map((row) => present(deps, row));
}

export const channelChangeSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  /** The settings to change; a setting set to null is removed (an optional one, such as a greeting). */
  config: z.record(z.string(), z.unknown()).optional(),
});

/** The stored configuration with a change applied: given keys replace, null removes. */
function applyChange(
  stored: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...stored, ...change };
  for (const [key, value] of Object.entries(change)) if (value === null) delete next[key];
  return next;
}

export async function updateChannel(
  deps: Deps,
  accountId: string,
  channelId: string,
  change: z.infer<typeof channelChangeSchema>,
): Promise<Channel> {
  const row = await getChannelRow(deps.db, accountId, channelId);
  let stored: { config: string; secrets: string } | null = null;
  if (change.config) {
    const adapter = adapterFor(deps, row.kind);
    // Secrets left out of a change keep their stored values, so a form need not show them.
    const next = applyChange(parseJsonObject(row.config), change.config);
    const merged = mergeSecrets(
      next,
      withoutGiven(parseJsonObject(row.secrets), { ...next, ...change.config }),
    );
    const { config, secrets } = validateConfig(adapter, merged);
    stored = { config: JSON.stringify(config), secrets: JSON.stringify(secrets) };
  }
  const updated = await deps.db
    .updateTable('channels')
    .set({
      ...(change.name ? { name: change.name } : {}),
      ...(stored ?? {}),
      ...(stored ? { health: 'ok' as const, healthReason: null } : {}),
      updatedAt: deps.now(),
    })
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(deps, updated);
}

/** The stored secrets the change does not replace (a nested secret only where its parent is kept). */
function withoutGiven(
  secrets: Record<string, unknown>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(secrets)) {
    if (isObject(value)) {
      const parent = given[key];
      if (isObject(parent)) kept[key] = withoutGiven(value, parent);
    } else if (!(key in given)) kept[key] = value;
  }
  return kept;
}

export async function deleteChannel(deps: Deps, accountId: string, channelId: string): Promise<void> {
  await getChannelRow(deps.db, accountId, channelId);
  await deps.db
    .updateTable('channels')
    .set({ deletedAt: deps.now() })
    .where('accountId', '=', accountId)
    .where('id', '=', channelId)
    .execute();
}

export async function setChannelHealth(
  deps: Pick<Deps, 'db' | 'now'>,
  channelId: string,
  health: 'ok' | 'needs_attention',
  reason: string | null,
): Promise<void> {
  await deps.db
    .updateTable('channels')
    .set({ health, healthReason: reason, updatedAt: deps.now() })
    .where('id', '=', channelId)
    .execute();
}
