/**
 * Whether the Terraform tests can run here: the CLI and the provider mirror. When something is
 * missing the tests are skipped with a message naming it, unless `REQUIRE_TERRAFORM=1` (CI), which
 * turns the skip into a failure.
 */
import { findTerraformBinary } from './binary';
import type { HarnessTools } from './harness';
import { AWS_PROVIDER, findProviderMirror } from './mirror';

/** The environment variable that makes missing Terraform tools a failure. */
export const REQUIRE_TERRAFORM_ENV = 'REQUIRE_TERRAFORM';

/** The tools, or the list of what is missing. */
export type TerraformAvailability =
  ({ readonly available: true } & HarnessTools) | { readonly available: false; readonly missing: readonly string[] };

/** Looks for the Terraform CLI and a mirror holding the AWS provider (of `providerVersion`, when given). */
export function terraformAvailability(env: NodeJS.ProcessEnv = process.env, providerVersion?: string): TerraformAvailability {
  const binary = findTerraformBinary(env);
  const mirror = findProviderMirror(env, AWS_PROVIDER, providerVersion);
  if (binary.found && mirror.found) return { available: true, terraformBinary: binary.path, mirrorRoot: mirror.root };
  return {
    available: false,
    missing: [...(binary.found ? [] : [binary.reason]), ...(mirror.found ? [] : [mirror.reason])],
  };
}

/** Whether `REQUIRE_TERRAFORM` asks for the Terraform tests to run (`1` or `true`). */
export function terraformRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true'].includes((env[REQUIRE_TERRAFORM_ENV] ?? '').toLowerCase());
}

/** The message printed when the Terraform tests are skipped or fail for missing tools. */
export function missingToolsMessage(missing: readonly string[], required: boolean): string {
  const what = missing.map((m) => `  - ${m}`).join('\n');
  return required
    ? `${REQUIRE_TERRAFORM_ENV}=1 but the Terraform tests cannot run:\n${what}`
    : `SKIPPING the Terraform tests (terraform validate / offline plan):\n${what}\nSet TF_PROVIDER_MIRROR to the folder that holds registry.terraform.io/hashicorp/aws and put terraform on the PATH; ${REQUIRE_TERRAFORM_ENV}=1 makes this a failure.`;
}
