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
    // CI runs a failing test once more (a loaded 2-core machine, three runs in a row); one that
    // then passes still counts as passed but is named by the flaky reporter, in the log and in
    // `<report>.flaky.txt`, which .ci/run prints.
    retry: process.env.CI ? 1 : 0,
    reporters: [
      'default',
      './test/support/flaky-reporter.ts',
      ...(jsonReport
        ? [['json', { outputFile: jsonReport }] satisfies ['json', { outputFile: string }]]
        : []),
    ],
  },
});
