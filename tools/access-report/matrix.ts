/**
 * The three axes of the matrix: the KMS actions asked about, the request contexts, and the
 * principals (rows) of one environment.
 */
import type { EnvironmentConfig } from '../../config/schema';
import { arnShortName, parseIamPrincipalArn } from '../../policy/arn';
import { viaServiceEndpoint } from '../../policy/conditions';
import { POLICY_VERSION } from '../../policy/render';
import type { Placeholders } from './placeholders';
import type { RenderedRole } from './rendered-policies';
import type { SecretsManagerGrantee } from './secrets-manager-grantees';
import type { ContextId, NamedPolicy, PrincipalRow } from './types';

/** The actions of every row, in table order: cryptography first, then management. */
export const MATRIX_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
] as const;

/** One of the matrix actions. */
export type MatrixAction = (typeof MATRIX_ACTIONS)[number];

/** The contexts of every cell: a direct call, and a call Secrets Manager makes on the caller's behalf. */
export const MATRIX_CONTEXTS: readonly ContextId[] = ['direct', 'via-secretsmanager'];

/**
 * The request context keys of a cell. The evaluator fills in none itself, so every key a policy
 * here may test is given: `kms:CallerAccount` and `kms:ViaService` (only via Secrets Manager), and
 * the principal's ARN and account. An anonymous request carries no principal keys.
 */
export function contextVariables(row: PrincipalRow, context: ContextId, placeholders: Placeholders): Record<string, string> {
  const variables: Record<string, string> = {};
  if (row.arn !== undefined && row.accountId !== undefined) {
    variables['kms:CallerAccount'] = row.accountId;
    variables['aws:PrincipalArn'] = row.arn;
    variables['aws:PrincipalAccount'] = row.accountId;
  }
  variables['aws:ViaAWSService'] = context === 'direct' ? 'false' : 'true';
  if (context === 'via-secretsmanager') variables['kms:ViaService'] = viaServiceEndpoint('secretsmanager', placeholders.region);
  return variables;
}

/** The hypothetical IAM policy of the `kms:*` rows. */
export const KMS_ALL_POLICY: NamedPolicy = {
  name: 'hypothetical IAM policy allowing kms:*',
  document: { Version: POLICY_VERSION, Statement: [{ Sid: 'AllowAllKms', Effect: 'Allow', Action: ['kms:*'], Resource: ['*'] }] },
};

/** Name of the role the key policy does not name. */
export const UNNAMED_ROLE_NAME = 'access-report-unnamed-role';

function accountOf(arn: string): string | undefined {
  return parseIamPrincipalArn(arn)?.accountId;
}

/**
 * The rows of one environment: administrators and users (no identity policy: what the key policy
 * alone gives them), the roles this app creates (with their identity policies), the principals the
 * key policy lets use the key via Secrets Manager that are none of these (no identity policy), an
 * unnamed role with and without `kms:*`, a role in another account with `kms:*`, and an anonymous caller.
 */
export function principalRows(
  environment: EnvironmentConfig,
  roles: readonly RenderedRole[],
  placeholders: Placeholders,
  grantees: readonly SecretsManagerGrantee[] = [],
): PrincipalRow[] {
  const { partition, accountId, otherAccountId } = placeholders;
  const named = (kind: 'administrator' | 'user', arn: string): PrincipalRow => ({
    label: `${kind} ${arnShortName(arn)}`,
    kind,
    arn,
    accountId: accountOf(arn),
    identityPolicies: [],
  });
  const unnamedArn = `arn:${partition}:iam::${accountId}:role/${UNNAMED_ROLE_NAME}`;
  const known = new Set([...environment.key.administrators, ...environment.key.users, ...roles.map((role) => role.arn)]);
  const rows: PrincipalRow[] = [
    ...environment.key.administrators.map((arn) => named('administrator', arn)),
    ...environment.key.users.map((arn) => named('user', arn)),
    ...roles.map((role): PrincipalRow => ({
      label: `role ${role.name}`,
      kind: 'app-role',
      arn: role.arn,
      accountId,
      identityPolicies: role.inlinePolicies,
    })),
    ...grantees
      .filter((grantee) => !known.has(grantee.arn))
      .map((grantee): PrincipalRow => ({
        label: `grantee ${arnShortName(grantee.arn)}`,
        kind: 'secrets-manager-grantee',
        arn: grantee.arn,
        accountId: accountOf(grantee.arn),
        identityPolicies: [],
      })),
    { label: 'unnamed role', kind: 'unnamed-role', arn: unnamedArn, accountId, identityPolicies: [] },
    { label: 'unnamed role + IAM kms:*', kind: 'unnamed-role-with-iam', arn: unnamedArn, accountId, identityPolicies: [KMS_ALL_POLICY] },
    {
      label: 'other account + IAM kms:*',
      kind: 'other-account',
      arn: `arn:${partition}:iam::${otherAccountId}:role/${UNNAMED_ROLE_NAME}`,
      accountId: otherAccountId,
      identityPolicies: [KMS_ALL_POLICY],
    },
    { label: 'anonymous', kind: 'anonymous', arn: undefined, accountId: undefined, identityPolicies: [] },
  ];
  const seen = new Set<string>();
  return rows.map((row) => {
    let label = row.label;
    for (let n = 2; seen.has(label); n++) label = `${row.label} (${n})`;
    seen.add(label);
    return { ...row, label };
  });
}
