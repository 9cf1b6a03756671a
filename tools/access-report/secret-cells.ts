/**
 * The cells by secret: each reader of secrets asked for kms:Decrypt and kms:GenerateDataKey via
 * Secrets Manager with the encryption context Secrets Manager sends for one secret,
 * `{"SecretARN": <the secret's ARN>, "SecretVersionId": <its version>}`: once for each of its own
 * secrets (expected allowed) and once for a secret of no config (expected denied). These cells are
 * exact: the report evaluates the encryption-context conditions itself.
 *
 * Readers: the roles this app creates, the principals the key policy lets use the key via Secrets
 * Manager (`grantSecretsManagerUse` grantees), and key users (who are not bound to secrets, so
 * their cells give notes, not risks).
 */
import type { EnvironmentConfig } from '../../config/schema';
import { type AwsStatement, statementsOf } from '../../policy/render';
import { wildcardRegExp } from './encryption-context-condition';
import { evaluateCell, type MatrixInput } from './evaluate';
import type { Placeholders } from './placeholders';
import { PROBE_SECRET_NAMES } from './secret-probes';
import type { SecretsManagerGrantee } from './secrets-manager-grantees';
import type { PrincipalRow, SecretCell, SecretKind } from './types';

/** The actions Secrets Manager calls on a reader's behalf. */
export const SECRET_CELL_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** The six characters Secrets Manager would append to an example secret's ARN. */
export const EXAMPLE_SECRET_SUFFIX = 'AbC123';

/** What stands for the `*` of a pattern (a name under a prefix, with its suffix). */
const EXAMPLE_NAME = `access-report-example-${EXAMPLE_SECRET_SUFFIX}`;

/** The `SecretVersionId` of every request (a documentation-style example, never a real version). */
export const EXAMPLE_SECRET_VERSION_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

/** The encryption context Secrets Manager sends to KMS for a version of a secret. */
export function secretsManagerEncryptionContext(secretArn: string): Readonly<Record<string, string>> {
  return { SecretARN: secretArn, SecretVersionId: EXAMPLE_SECRET_VERSION_ID };
}

/**
 * A concrete secret ARN that `pattern` matches, as Secrets Manager would name one: `??????` becomes
 * six letters and digits, `*` an example name with its suffix, any other `?` a letter.
 */
export function exampleSecretArn(pattern: string): string {
  const arn = pattern.split('??????').join(EXAMPLE_SECRET_SUFFIX).split('*').join(EXAMPLE_NAME).split('?').join('x');
  if (!wildcardRegExp(pattern).test(arn)) throw new Error(`cannot build a secret ARN that matches ${pattern}`);
  return arn;
}

/** The ARN of a secret of no config in the key's account and region (the first GetSecretValue probe). */
export function noConfigSecretArn(placeholders: Placeholders): string {
  return `arn:${placeholders.partition}:secretsmanager:${placeholders.region}:${placeholders.accountId}:secret:${PROBE_SECRET_NAMES[0]}`;
}

/** One reader and the ARNs of its own secrets (none for a key user the key policy grants nothing via Secrets Manager). */
export interface SecretReader {
  readonly row: PrincipalRow;
  readonly ownSecretArns: readonly string[];
}

/**
 * The Lambda role's own secrets, from the config (its intent, not the synthesized policy): an example
 * ARN of each named secret, of a secret under the prefix, or of each configured ARN.
 */
function configuredSecretArns(environment: EnvironmentConfig, placeholders: Placeholders): string[] {
  const role = environment.lambdaRole;
  if (role === undefined) return [];
  const secret = (name: string) =>
    `arn:${placeholders.partition}:secretsmanager:${placeholders.region}:${placeholders.accountId}:secret:${name}`;
  if (role.secretArns?.length) return role.secretArns.map(exampleSecretArn);
  if (role.secretNames?.length) return role.secretNames.map((name) => secret(`${name}-${EXAMPLE_SECRET_SUFFIX}`));
  return role.secretNamePrefix === undefined ? [] : [secret(`${role.secretNamePrefix}${EXAMPLE_NAME}`)];
}

/** Secret ARNs (patterns) an app role's identity policies let it read with GetSecretValue. */
function readableSecretPatterns(row: PrincipalRow): string[] {
  const reads = (s: AwsStatement) =>
    s.Effect === 'Allow' && [s.Action].flat().some((a) => wildcardRegExp(a, true).test('secretsmanager:GetSecretValue'));
  return row.identityPolicies
    .flatMap((p) => statementsOf(p.document).filter(reads))
    .flatMap((s) => [s.Resource ?? []].flat())
    .filter((resource) => /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:./.test(resource));
}

/**
 * Who is asked about secrets, and which secrets are its own: the config's secrets for the Lambda
 * role, the GetSecretValue resources for another role of this app, the SecretARN patterns of the
 * key-policy grants for a grantee. Key users are asked too (about a secret of no config), for the note.
 */
export function secretReaders(
  environment: EnvironmentConfig,
  rows: readonly PrincipalRow[],
  grantees: readonly SecretsManagerGrantee[],
  placeholders: Placeholders,
): SecretReader[] {
  const lambdaRole = environment.lambdaRole;
  const isLambdaRole = (row: PrincipalRow) =>
    lambdaRole !== undefined && row.arn?.endsWith(`:role${lambdaRole.path}${lambdaRole.name}`) === true;
  const granted = new Map(grantees.map((g) => [g.arn, g.secretArnPatterns]));
  return rows
    .filter((row) => row.kind === 'app-role' || row.kind === 'user' || (row.arn !== undefined && granted.has(row.arn)))
    .map((row) => {
      const patterns =
        row.kind === 'app-role' && isLambdaRole(row)
          ? configuredSecretArns(environment, placeholders)
          : row.kind === 'app-role'
            ? readableSecretPatterns(row).map(exampleSecretArn)
            : (granted.get(row.arn ?? '') ?? []).map(exampleSecretArn);
      return { row, ownSecretArns: [...new Set(patterns)] };
    });
}

/** Evaluates the cells by secret of every reader: own secrets first, then the secret of no config. */
export async function evaluateSecretCells(input: MatrixInput, readers: readonly SecretReader[]): Promise<SecretCell[]> {
  const cells: SecretCell[] = [];
  const noConfig = noConfigSecretArn(input.placeholders);
  for (const { row, ownSecretArns } of readers) {
    const asked: [SecretKind, string][] = [...ownSecretArns.map((arn): [SecretKind, string] => ['own', arn]), ['no-config', noConfig]];
    for (const [secret, secretArn] of asked) {
      const encryptionContext = secretsManagerEncryptionContext(secretArn);
      for (const action of SECRET_CELL_ACTIONS) {
        const cell = await evaluateCell(input, row, action, 'via-secretsmanager', encryptionContext);
        cells.push({ ...cell, context: 'via-secretsmanager', encryptionContext, secret, secretArn });
      }
    }
  }
  return cells;
}
