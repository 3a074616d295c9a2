/**
 * The slow fault suite (`npm run test:faults`): every `tests/faults/*.fault.ts` starts its
 * own controllable stack (PostgreSQL, Temporal dev server on SQLite, worker process, API,
 * webhook), so there is no shared global setup. The fast subset is
 * tests/faults/fast.test.ts, which the default `npm test` runs.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/faults'],
  testMatch: ['**/*.fault.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/tests/faults/harness/global-setup.ts',
  setupFiles: ['<rootDir>/tests/harness/quiet-runtime.ts'],
  testTimeout: 45 * 60_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/tests/harness/closing-line-reporter.js'],
};
