import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('configuration', () => {
  it('has embedded-profile defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      maxUploadBytes: 100 * 1024 * 1024,
    });
    expect(config.database.kind).toBe('sqlite');
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  it('derives PUBLIC_URL from HOST and PORT, and takes PostgreSQL from DATABASE_URL', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://help.example.com/',
      DATABASE_URL: 'postgres://u@db/x',
    });
    expect(config.publicUrl).toBe('https://help.example.com');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x' });
  });

  it('chooses each scale engine on its own: Redis from REDIS_URL, S3 from S3_BUCKET', () => {
    expect(loadConfig({}).redis).toBeNull();
    expect(loadConfig({}).s3).toBeNull();
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379' });
    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:4569',
      region: 'us-east-1',
      bucket: 'media',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      presignedDownloads: false,
    });
    expect(loadConfig({ S3_BUCKET: 'media', S3_PRESIGNED_DOWNLOADS: '1' }).s3?.presignedDownloads).toBe(true);
    expect(config.database.kind).toBe('sqlite');
  });

  it.each([
    [undefined, false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ S3_ENDPOINT: 'http://127.0.0.1:4569' }, 'S3_BUCKET'],
    [{ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'key' }, 'S3_SECRET_ACCESS_KEY'],
    [{ S3_PRESIGNED_DOWNLOADS: 'true' }, 'S3_BUCKET'],
    [{ S3_BUCKET: 'media', MAX_UPLOAD_MB: '6000' }, 'MAX_UPLOAD_MB'],
    [{ S3_BUCKET: 'media', S3_PRESIGNED_DOWNLOADS: 'maybe' }, 'S3_PRESIGNED_DOWNLOADS'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
  ])('names the S3 or Redis variable that is missing or wrong (%o)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it.each([
    ['PORT', 'eighty'],
    ['PUBLIC_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x'],
    ['MAX_UPLOAD_MB', '-5'],
    ['ADMIN_PASSWORD', 'short'],
    ['TRUST_PROXY', 'everyone'],
  ])('names %s when it is invalid', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${variable} `),
    );
  });

  it('stops the process with the variable named and a non-zero exit', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', 'serve'], {
      env: { ...process.env, PORT: 'seventy', DATA_DIR: '/tmp/switchboard-never-used' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration: PORT');
  });
});
