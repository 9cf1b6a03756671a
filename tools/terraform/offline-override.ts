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
 *   a `backend` block in an override replaces the original `backend` or `cloud` block;
 * - optionally, more of the provider's service endpoints pointed at loopback stand-ins (`kms` for
 *   the import test's existing key); every other service still goes to the refusing proxy.
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
  /**
   * More service endpoints, by the provider's `endpoints` argument name (`kms`), each a loopback
   * stand-in. `sts` is the STS stand-in's and cannot be given here.
   * @default none
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /**
   * The aliases of the stack's other `aws` provider configurations (multi-Region replicas: one per
   * replica region). Each gets the same offline settings, merged into it by alias.
   * @default none
   */
  readonly providerAliases?: readonly string[];
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/;

/** The provider's `endpoints` block: the STS stand-in's, then the extra ones, all checked to be loopback. */
function endpointsBlock(input: OfflineOverrideInput): Record<string, string> {
  const extra = input.endpoints ?? {};
  if (Object.hasOwn(extra, 'sts')) throw new Error("the sts endpoint is the STS stand-in's; give it as stsEndpoint");
  for (const [service, endpoint] of Object.entries(extra)) {
    if (!/^[a-z0-9]+$/.test(service)) throw new Error(`"${service}" is not a provider endpoints argument name`);
    if (!LOOPBACK.test(endpoint)) throw new Error(`the ${service} endpoint must be a loopback address, got ${endpoint}`);
  }
  return { sts: input.stsEndpoint, ...extra };
}

/** The override as a Terraform JSON document. */
export function offlineOverride(input: OfflineOverrideInput): Record<string, unknown> {
  if (!LOOPBACK.test(input.stsEndpoint)) {
    throw new Error(`the STS endpoint must be a loopback address, got ${input.stsEndpoint}`);
  }
  const settings = {
    access_key: input.accessKeyId,
    secret_key: 'offline-secret-key',
    skip_credentials_validation: false,
    skip_requesting_account_id: false,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    max_retries: 1,
    endpoints: [endpointsBlock(input)],
  };
  const aliases = input.providerAliases ?? [];
  return {
    '//': 'Written by the offline Terraform harness (tools/terraform) into its own copy of the stack; never part of the product.',
    // Override provider blocks merge into the stack's by name and alias: one per configuration.
    provider: { aws: aliases.length === 0 ? settings : [settings, ...aliases.map((alias) => ({ alias, ...settings }))] },
    terraform: { backend: { local: { path: OFFLINE_STATE_FILE } } },
  };
}

/** Writes the override into `stackDir`; returns its path. */
export function writeOfflineOverride(stackDir: string, input: OfflineOverrideInput): string {
  const file = join(stackDir, OVERRIDE_FILE);
  writeFileSync(file, `${JSON.stringify(offlineOverride(input), null, 2)}\n`);
  return file;
}
