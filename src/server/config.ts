// Environment → typed configuration. Every variable has an embedded-profile default, and an
// invalid value stops the process with a message that names the variable.
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://')
    .optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(10_240).default(100),
  MAX_INBOUND_MEDIA_MB: z.coerce.number().positive().max(10_240).default(100),
  SIGNED_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(7 * 24 * 3600)
    .default(15 * 60),
  CUSTOMER_LINK_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90 * 24)
    .default(7 * 24),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATORS: booleanFlag.default(true),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[\d.:a-fA-F/]+(,\s*[\d.:a-fA-F/]+)*)$/,
      'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses',
    )
    .optional(),
  REDIS_URL: z
    .string()
    .refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://')
    .optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  S3_PRESIGNED_DOWNLOADS: booleanFlag.default(false),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  admin: { email: string | undefined; password: string | undefined };
  maxUploadBytes: number;
  maxInboundMediaBytes: number;
  signedUrlTtlSeconds: number;
  customerLinkTtlSeconds: number;
  jobConcurrency: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  simulators: boolean;
  /**
   * Which reverse proxies to believe about the client's address (X-Forwarded-For): false,
   * true (any), a hop count, or addresses/CIDRs. Rate limits key on the address it yields.
   */
  trustProxy: boolean | number | string[];
  /** Redis for jobs, real-time fan-out and shared counters; null keeps them in the database and process. */
  redis: { url: string } | null;
  /** S3-compatible object storage for media; null keeps media in DATA_DIR. */
  s3: S3Config | null;
}

export interface S3Config {
  /** Unset for AWS itself; set for any other S3-compatible service. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
  /** Agents' downloads redirect to short-lived presigned URLs instead of streaming through the server. */
  presignedDownloads: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cpuCount = 2): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      variable,
      `${issue?.message ?? 'is invalid'} (got ${JSON.stringify(env[variable])}).`,
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const browserHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${browserHost}:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: resolve(dataDir, 'switchboard.sqlite') },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    maxInboundMediaBytes: Math.round(e.MAX_INBOUND_MEDIA_MB * 1024 * 1024),
    signedUrlTtlSeconds: e.SIGNED_URL_TTL_SECONDS,
    customerLinkTtlSeconds: e.CUSTOMER_LINK_TTL_HOURS * 3600,
    jobConcurrency: e.JOB_CONCURRENCY ?? Math.max(1, cpuCount),
    logLevel: e.LOG_LEVEL,
    simulators: e.SIMULATORS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    redis: e.REDIS_URL ? { url: e.REDIS_URL } : null,
    s3: s3Config(e),
  };
}

const S3_MAX_OBJECT_MB = 5 * 1024;

function s3Config(e: z.infer<typeof envSchema>): S3Config | null {
  if (!e.S3_BUCKET) {
    const stray = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find(
      (name) => e[name],
    );
    if (stray) throw new ConfigError('S3_BUCKET', `is required when ${stray} is set.`);
    if (e.S3_PRESIGNED_DOWNLOADS)
      throw new ConfigError('S3_BUCKET', 'is required when S3_PRESIGNED_DOWNLOADS is set.');
    return null;
  }
  // A blob is moved into place with one CopyObject, which copies at most 5 GiB.
  for (const name of ['MAX_UPLOAD_MB', 'MAX_INBOUND_MEDIA_MB'] as const) {
    if (e[name] > S3_MAX_OBJECT_MB)
      throw new ConfigError(name, `must be at most ${S3_MAX_OBJECT_MB} (5 GiB) when media are on S3.`);
  }
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    const missing = e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    throw new ConfigError(missing, 'is required when the other S3 key is set.');
  }
  return {
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    presignedDownloads: e.S3_PRESIGNED_DOWNLOADS,
  };
}

function trustProxyOf(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((address) => address.trim());
}
