const transform = { '^.+\\.ts$': ['@swc/jest'] };

/** Unit tests need nothing; integration tests share one MongoDB-compatible server and one Redis (test/support). */
/** @type {import('jest').Config} */
module.exports = {
  // Integration hooks start workers and drain queues on a shared 2-core machine.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/no-unacknowledged-writes.ts'],
    },
  ],
};
