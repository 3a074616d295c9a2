/**
 * The production-topology suite (`npm run test:cluster`, outside the default `npm test`):
 * every `tests/cluster/*.cluster.ts` starts its own Temporal server on PostgreSQL (4 history
 * shards), Web UI, two worker processes and the API, all on free ports, and stops them in
 * afterAll. scripts/test-cluster.ts provisions the server binaries before Jest starts.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/cluster'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 20 * 60_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/tests/harness/closing-line-reporter.js'],
};
