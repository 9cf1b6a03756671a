/**
 * `npm run preflight` up to loading the AWS SDK: the text `--help` prints, and the entry point that
 * answers `--help` and usage errors before checking that the SDK is installed. The options are
 * verify's, parsed by one parser (tools/lib/aws-command-options.ts), so one profile or region works
 * for both commands. Loads no AWS SDK.
 */
import { awsCommandEntry, type AwsCommandUsage } from '../lib/aws-command-options';
import type { CommandEntry } from '../lib/command-entry';

/** The text `npm run preflight -- --help` prints. */
export const HELP = `Usage: npm run preflight -- --env <name> [--region <region>] [--profile <profile>] [--json]

Before deploying, checks that the environment's config fits the account, as the caller's AWS
identity (standard credential chain: environment variables, AWS_PROFILE or --profile, SSO,
instance roles). Nothing is created or changed:

  import-key   with key.importKeyId: the key exists (kms:DescribeKey) and its spec, usage and
               multi-Region setting equal the config's
  alias        the alias is free, or already points at the imported key, and every other alias
               the stack creates (additional, replica and alert-key aliases) is free in its own
               region (kms:DescribeKey on the alias, else kms:ListAliases)
  principals   every IAM user and role the key policy names exists (iam:GetRole, iam:GetUser);
               principals in other accounts are listed as not checkable, :root needs no check
  lambda-role  the Lambda role this stack creates does not exist yet, or, with
               lambdaRole.importExisting, exists at the configured path (iam:GetRole)
  secret-arns  every lambdaRole.secretArns entry exists (secretsmanager:DescribeSecret; a
               <name>-?????? pattern through secretsmanager:ListSecrets)
  secrets      no secret the environment declares exists yet (secretsmanager:DescribeSecret)
  lockout      the caller could still change the key policy after it is applied (KMS's lockout
               check): iam:SimulatePrincipalPolicy for kms:PutKeyPolicy with the synthesized key
               policy (an assumed-role session also needs iam:GetRole for its role's path)

Run it as the identity that deploys: the lockout check is about that identity. A check the caller
may not run is "skipped: needs <permission>" and does not fail the run.

Options:
  -e, --env <name>      environment in the config (KMS_CONFIG or the embedded default);
                        may be left out when the config has only one
      --region <name>   region to query for the key, alias and declared secrets
                        (default: the environment's region)
      --profile <name>  AWS shared-config profile (default: AWS_PROFILE or the default chain)
      --json            print the report as JSON
  -h, --help            print this help

Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 bad usage, bad config,
no usable credentials, or credentials for another account than the environment's accountId.`;

/** preflight's usage: `--help` wins over everything else on the line, so it works even beside a mistyped option. */
export const PREFLIGHT_USAGE: AwsCommandUsage = { name: 'preflight', help: HELP, helpBeforeParsing: true };

/** The entry point of `npm run preflight` (tools/preflight/main.ts). */
export const PREFLIGHT_ENTRY: CommandEntry = awsCommandEntry(PREFLIGHT_USAGE, () => import('./cli'));
