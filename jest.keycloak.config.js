/** The sign-in test against Keycloak with compose's realm (`npm run test:keycloak`): slow to start, so not in `npm test`. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests/keycloak'],
  testMatch: ['**/*.keycloak.ts'],
  testTimeout: 300000,
};
