import { defineConfig } from 'vitest/config';

const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // PostgreSQL schemas of the run; with TEST_S3=1, media on an S3-compatible server started
    // for the run (s3rver on loopback).
    globalSetup: [
      'test/support/postgres-global-setup.ts',
      ...(process.env.TEST_S3 === '1' ? ['test/support/s3-global-setup.ts'] : []),
    ],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
