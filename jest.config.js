/** Jest transpiles with SWC and does not type-check: `npm run typecheck` does that once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Suites too slow for every run (minutes of Terraform); `npm run test:slow` runs them, and CI too.
  testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
  // One worker per core rather than jest's default of cores - 1: the Terraform suites spend most of
  // their time waiting on terraform child processes, which the harness bounds machine-wide to one per
  // core (tools/terraform/concurrency.ts), so the other worker keeps the remaining core busy.
  maxWorkers: '100%',
  // Finds a local Terraform provider mirror when TF_PROVIDER_MIRROR is unset (see docs/terraform.md).
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
};
