/**
 * `npm run verify` up to loading the AWS SDK: the text `--help` prints, and the entry point that
 * answers `--help` and usage errors before checking that the SDK is installed. The options are
 * parsed by tools/lib/aws-command-options.ts, which preflight shares. Loads no AWS SDK.
 */
import { awsCommandEntry, type AwsCommandUsage } from '../lib/aws-command-options';
import type { CommandEntry } from '../lib/command-entry';

/** The text `npm run verify -- --help` prints. */
export const HELP = `Usage: npm run verify -- --env <name> [--region <region>] [--profile <profile>] [--json]

Checks a deployed environment against its config, as the caller's AWS identity (standard
credential chain: environment variables, AWS_PROFILE or --profile, SSO, instance roles):

  key          the alias resolves (kms:DescribeKey) to an Enabled customer managed key whose
               spec, usage, origin and multi-Region setting match the config
  rotation     kms:GetKeyRotationStatus: rotation on/off and its period as configured
  policy       kms:GetKeyPolicy equals the synthesized key policy; otherwise lists the drift
  round-trip   kms:Encrypt a test message with an encryption context, kms:Decrypt it, compare
  lambda-role  iam:SimulatePrincipalPolicy for the Lambda role with the key policy: kms:Decrypt and
               kms:GenerateDataKey allowed via Secrets Manager (kms:ViaService) for one of the
               role's secrets (kms:EncryptionContext:SecretARN), denied for a secret of no config,
               denied directly

Only the primary key is checked (the key the alias names); replicas of a multi-Region key are not.

A check the caller may not run is "skipped: needs <permission>": the rotation and policy checks
need a key administrator, the round trip a key user, the Lambda role check IAM simulate access.
A caller listed in key.users whose round trip is denied fails instead.

Options:
  -e, --env <name>      environment in the config (KMS_CONFIG or the embedded default);
                        may be left out when the config has only one
      --region <name>   region to query (default: the environment's region)
      --profile <name>  AWS shared-config profile (default: AWS_PROFILE or the default chain)
      --json            print the report as JSON
  -h, --help            print this help

Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 bad usage, bad config,
no usable credentials, or credentials for another account than the environment's accountId.`;

/** verify's usage: a bad option is a usage error even beside `--help`. */
export const VERIFY_USAGE: AwsCommandUsage = { name: 'verify', help: HELP, helpBeforeParsing: false };

/** The entry point of `npm run verify` (tools/verify/main.ts). */
export const VERIFY_ENTRY: CommandEntry = awsCommandEntry(VERIFY_USAGE, () => import('./cli'));
