// What the core lends an adapter: configuration, logging, storage, the channel's rules and
// signed links to media it may hand to the provider or the customer.
import { defaultChannelRules } from '../../shared/channel-rules.js';
import type { ChannelKind } from '../../shared/api-schemas.js';
import type { Deps } from '../context.js';
import { saveDerivative } from '../domain/attachment-state.js';
import { signedMediaPath } from '../media/signed-url.js';
import { AppError } from '../errors.js';
import type { AdapterDeps, PreparedBytes } from './adapter.js';

export function signedMediaUrl(
  deps: Pick<Deps, 'config' | 'secrets' | 'now'>,
  attachmentId: string,
  variant: string,
  name: string,
  ttlSeconds = deps.config.signedUrlTtlSeconds,
  version = 0,
): string {
  const expiresAt = Math.floor(deps.now() / 1000) + ttlSeconds;
  return `${deps.config.publicUrl}${signedMediaPath(deps.secrets.urlSigningKey, { attachmentId, variant, expiresAt, version }, name)}`;
}

const extensionFor = (contentType: string): string =>
  contentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
const preparedName = (name: string, contentType: string): string =>
  `${name.replace(/\.[^.]+$/, '')}.${extensionFor(contentType)}`;

export function adapterDeps(
  deps: Deps,
  kind: ChannelKind,
  names: Map<string, string> = new Map(),
  /** Link versions of the attachments (see signed-url.ts), 0 when absent. */
  linkVersions: Map<string, number> = new Map(),
): AdapterDeps {
  const versionOf = (attachmentId: string): number => linkVersions.get(attachmentId) ?? 0;
  const nameOf = async (attachmentId: string): Promise<{ accountId: string; name: string }> => {
    const row = await deps.db
      .selectFrom('attachments')
      .select(['accountId', 'name'])
      .where('id', '=', attachmentId)
      .executeTakeFirstOrThrow();
    return { accountId: row.accountId, name: names.get(attachmentId) ?? row.name };
  };
  const prepared = (
    attachmentId: string,
    kindName: string,
    name: string,
    row: { blobKey: string; contentType: string; size: number },
  ): PreparedBytes => ({
    url: signedMediaUrl(
      deps,
      attachmentId,
      kindName,
      preparedName(name, row.contentType),
      deps.config.signedUrlTtlSeconds,
      versionOf(attachmentId),
    ),
    contentType: row.contentType,
    size: row.size,
    open: () => deps.blobs.read(row.blobKey),
  });
  return {
    config: deps.config,
    log: deps.log.child({ channel: kind }),
    blobs: deps.blobs,
    now: deps.now,
    rules: defaultChannelRules[kind],
    signedMediaUrl: (attachmentId, variant = 'original') =>
      signedMediaUrl(
        deps,
        attachmentId,
        variant,
        names.get(attachmentId) ?? 'file',
        deps.config.signedUrlTtlSeconds,
        versionOf(attachmentId),
      ),
    customerLink: (attachmentId) =>
      signedMediaUrl(
        deps,
        attachmentId,
        'original',
        names.get(attachmentId) ?? 'file',
        deps.config.customerLinkTtlSeconds,
        versionOf(attachmentId),
      ),
    async publishPrepared(attachmentId, variant, bytes, contentType) {
      const { accountId, name } = await nameOf(attachmentId);
      const kindName = `prepared-${variant}`;
      await saveDerivative(deps, accountId, attachmentId, {
        kind: kindName,
        bytes,
        contentType,
        width: null,
        height: null,
      });
      const row = await deps.db
        .selectFrom('derivatives')
        .select(['blobKey', 'contentType', 'size'])
        .where('attachmentId', '=', attachmentId)
        .where('kind', '=', kindName)
        .executeTakeFirstOrThrow();
      return prepared(attachmentId, kindName, name, row);
    },
    async findPrepared(attachmentId, variant) {
      const kindName = `prepared-${variant}`;
      const row = await deps.db
        .selectFrom('derivatives')
        .select(['blobKey', 'contentType', 'size'])
        .where('attachmentId', '=', attachmentId)
        .where('kind', '=', kindName)
        .executeTakeFirst();
      if (!row) return null;
      const { name } = await nameOf(attachmentId);
      return prepared(attachmentId, kindName, name, row);
    },
    async simulatorBaseUrl(channel) {
      const simulator = deps.channels.get(channel.kind)?.simulator;
      if (!simulator)
        throw new AppError('channel_unavailable', `Channels of kind "${channel.kind}" have no simulator.`);
      return (await deps.simulators.instance(simulator, channel)).baseUrl;
    },
  };
}
