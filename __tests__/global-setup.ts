/**
 * Runs once before the suites: when TF_PROVIDER_MIRROR is not set, look for a local provider mirror
 * so that `npm test` runs the Terraform tests wherever one exists (workers inherit the variable).
 */
import { discoverProviderMirror } from '../tools/terraform/discover-mirror';
import { PROVIDER_MIRROR_ENV } from '../tools/terraform/mirror';

export default function globalSetup(): void {
  if (process.env[PROVIDER_MIRROR_ENV]) return;
  const root = discoverProviderMirror();
  if (root) {
    process.env[PROVIDER_MIRROR_ENV] = root;
    console.log(`\nUsing the provider mirror found at ${root} (set ${PROVIDER_MIRROR_ENV} to choose one).`);
  }
}
