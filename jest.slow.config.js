/** `npm run test:slow`: the suites `npm test` leaves out (`*.slow.test.ts`), with the same set-up. */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
