/**
 * Jest glue for the Terraform tests: a `describe` that runs when Terraform and the mirror are
 * there, is skipped loudly when they are not, and fails when `REQUIRE_TERRAFORM=1`.
 */
import { missingToolsMessage, terraformAvailability, terraformRequired, type TerraformAvailability } from './availability';
import type { HarnessTools } from './harness';

/**
 * Declares `title` with `body(tools)` when the tools are available. Otherwise prints which are
 * missing and skips it, or, with `REQUIRE_TERRAFORM=1`, declares one failing test that names them.
 */
export function describeWithTerraform(
  title: string,
  body: (tools: HarnessTools) => void,
  availability: TerraformAvailability = terraformAvailability(),
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (availability.available) {
    describe(title, () => body(availability));
    return;
  }
  const required = terraformRequired(env);
  const message = missingToolsMessage(availability.missing, required);
  if (required) {
    describe(title, () => {
      test('has the Terraform CLI and the provider mirror', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`${title}: ${message}`);
  describe.skip(title, () => body({ terraformBinary: '', mirrorRoot: '' }));
}
