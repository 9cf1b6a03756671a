/**
 * The override file the harness writes next to its copy of a stack's `cdk.tf.json`
 * (`zz_offline_override.tf.json`; Terraform merges `*_override.tf.json` files last). Everything
 * offline planning needs lives here, never in the product code:
 *
 * - fake static credentials whose access key id names the account the STS stand-in answers;
 * - the provider's `sts` endpoint pointed at the loopback stand-in. Credential validation and the
 *   account lookup stay ON (`skip_credentials_validation` and `skip_requesting_account_id` false):
 *   with `skip_requesting_account_id` the provider knows no account, and a stack with an
 *   `accountId` (which sets `allowed_account_ids`) then fails with "AWS account ID not allowed: ".
 *   Asking the stand-in keeps `allowed_account_ids` checked for real;
 * - `skip_metadata_api_check` and `skip_region_validation`, so no instance metadata and no
 *   region list is consulted, and few retries so a stray request fails fast;
 * - local state in the harness's folder instead of the stack's backend (local path, `s3`, `cloud`):
 *   a `backend` block in an override replaces the original `backend` or `cloud` block.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The override file's name; sorts after `cdk.tf.json`. */
export const OVERRIDE_FILE = 'zz_offline_override.tf.json';

/** The state file the override makes the stack use, relative to the stack's folder. */
export const OFFLINE_STATE_FILE = 'terraform.tfstate';

/** What the override needs to know. */
export interface OfflineOverrideInput {
  /** The loopback STS stand-in, `http://127.0.0.1:<port>`. */
  readonly stsEndpoint: string;
  /** The fake access key id (names the account the stand-in answers). */
  readonly accessKeyId: string;
}

/** The override as a Terraform JSON document. */
export function offlineOverride(input: OfflineOverrideInput): Record<string, unknown> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(input.stsEndpoint)) {
    throw new Error(`the STS endpoint must be a loopback address, got ${input.stsEndpoint}`);
  }
  return {
    '//': 'Written by the offline Terraform harness (tools/terraform) into its own copy of the stack; never part of the product.',
    provider: {
      aws: {
        access_key: input.accessKeyId,
        secret_key: 'offline-secret-key',
        skip_credentials_validation: false,
        skip_requesting_account_id: false,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        max_retries: 1,
        endpoints: [{ sts: input.stsEndpoint }],
      },
    },
    terraform: { backend: { local: { path: OFFLINE_STATE_FILE } } },
  };
}

/** Writes the override into `stackDir`; returns its path. */
export function writeOfflineOverride(stackDir: string, input: OfflineOverrideInput): string {
  const file = join(stackDir, OVERRIDE_FILE);
  writeFileSync(file, `${JSON.stringify(offlineOverride(input), null, 2)}\n`);
  return file;
}
