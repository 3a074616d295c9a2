/** One Temporal dev server and one database per run: see tests/harness/global-setup.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/tests/harness/global-setup.ts',
  globalTeardown: '<rootDir>/tests/harness/global-teardown.ts',
  setupFiles: ['<rootDir>/tests/harness/quiet-runtime.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/tests/harness/closing-line-reporter.js'],
};
