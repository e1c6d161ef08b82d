// One S3 client per process, configured from S3_*; and the words for an unreachable bucket.
import { HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Config } from '../../config.js';

const CONNECT_TIMEOUT_MS = 5_000;
const MAX_SOCKETS = 64;

export function createS3Client(config: S3Config): S3Client {
  const custom = config.endpoint !== undefined;
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    // Without keys the SDK's usual chain applies (instance role, AWS_* variables, profile).
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // Many S3-compatible services refuse the SDK's default streaming checksums (aws-chunked
    // bodies with trailers); the content address is a SHA-256 we verify ourselves anyway.
    ...(custom
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    },
  });
}

export function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode;
}

export const isNotFound = (error: unknown): boolean =>
  statusOf(error) === 404 ||
  (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'));

/** HeadBucket, with a message that names the bucket, the endpoint and the variables to check. */
export async function pingBucket(client: S3Client, config: S3Config): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }));
  } catch (error) {
    const status = statusOf(error);
    const reason =
      status === 404
        ? 'the bucket does not exist'
        : status === 403 || status === 401
          ? 'access is denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)'
          : (error as Error).message || (error as Error).name;
    const where = config.endpoint ?? `AWS S3 (${config.region})`;
    throw new Error(
      `The S3 bucket "${config.bucket}" at ${where} is not reachable: ${reason}. Check S3_BUCKET and S3_ENDPOINT.`,
      { cause: error },
    );
  }
}
