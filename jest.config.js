/** Jest transpiles with SWC and does not type-check: `npm run typecheck` does that once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
  // Finds a local Terraform provider mirror when TF_PROVIDER_MIRROR is unset (see docs/terraform.md).
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
};
