// What the core lends an adapter: configuration, logging, storage, the channel's rules and
// signed links to media it may hand to the provider.
import { defaultChannelRules } from '../../shared/channel-rules.js';
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { saveDerivative } from '../domain/attachment-state.js';
import { signedMediaPath } from '../media/signed-url.js';
import { AppError } from '../errors.js';
import type { AdapterDeps } from './adapter.js';

export function signedMediaUrl(
  deps: Pick<Deps, 'config' | 'secrets' | 'now'>,
  attachmentId: string,
  variant: string,
  name: string,
  ttlSeconds = deps.config.signedUrlTtlSeconds,
): string {
  const expiresAt = Math.floor(deps.now() / 1000) + ttlSeconds;
  return `${deps.config.publicUrl}${signedMediaPath(deps.secrets.urlSigningKey, { attachmentId, variant, expiresAt }, name)}`;
}

export function adapterDeps(
  deps: Deps,
  kind: ChannelKind,
  names: Map<string, string> = new Map(),
): AdapterDeps {
  return {
    config: deps.config,
    log: deps.log.child({ channel: kind }),
    blobs: deps.blobs,
    now: deps.now,
    rules: defaultChannelRules[kind],
    signedMediaUrl: (attachmentId, variant = 'original', ttlSeconds?: number) =>
      signedMediaUrl(deps, attachmentId, variant, names.get(attachmentId) ?? 'file', ttlSeconds),
    async publishPrepared(attachmentId, variant, bytes, contentType) {
      const row = await deps.db
        .selectFrom('attachments')
        .select(['accountId', 'name'])
        .where('id', '=', attachmentId)
        .executeTakeFirstOrThrow();
      const kind = `prepared-${variant}`;
      await saveDerivative(deps, row.accountId, attachmentId, {
        kind,
        bytes,
        contentType,
        width: null,
        height: null,
      });
      return signedMediaUrl(deps, attachmentId, kind, names.get(attachmentId) ?? row.name);
    },
    async simulatorBaseUrl(channel) {
      const simulator = deps.channels.get(channel.kind)?.simulator;
      if (!simulator)
        throw new AppError('channel_unavailable', `Channels of kind "${channel.kind}" have no simulator.`);
      return (await deps.simulators.instance(simulator, channel)).baseUrl;
    },
  };
}
