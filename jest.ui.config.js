/** Browser tests of the dashboard (`npm run test:ui`): tests/ui/*.ui.ts on the same per-run stack as `npm test`. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests/ui'],
  testMatch: ['**/*.ui.ts'],
  testTimeout: 180000,
};
