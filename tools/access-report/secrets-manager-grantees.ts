/**
 * Who the key policy lets use the key via Secrets Manager, read from the policy itself (not from
 * the construct that wrote it): the principals `grantSecretsManagerUse` (or any hand-written
 * statement of that shape) named, and the secrets each grant names in `kms:EncryptionContext:SecretARN`.
 */
import { parseIamPrincipalArn } from '../../policy/arn';
import { viaServiceEndpoint } from '../../policy/conditions';
import { type AwsStatement, type PolicyDocument, statementsOf } from '../../policy/render';
import { wildcardRegExp } from './encryption-context-condition';

/** One principal granted use via Secrets Manager. */
export interface SecretsManagerGrantee {
  /** IAM user or role ARN. */
  readonly arn: string;
  /** The `Sid`s (or `statement #n`) of the statements granting it. */
  readonly statements: readonly string[];
  /** ARN patterns of `kms:EncryptionContext:SecretARN` positive conditions in those statements; empty when none. */
  readonly secretArnPatterns: readonly string[];
}

const list = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/** Values of `key` (compared without case) under positive string operators of the statement. */
function positiveValues(statement: AwsStatement, key: string): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => /^String(Equals|Like)(IfExists)?$/.test(operator))
    .flatMap(([, byKey]) => Object.entries(byKey).filter(([k]) => k.toLowerCase() === key.toLowerCase()))
    .flatMap(([, values]) => list(values));
}

/** True for an Allow statement letting Secrets Manager in `region` call Decrypt or GenerateDataKey. */
function grantsViaSecretsManager(statement: AwsStatement, region: string): boolean {
  const endpoint = viaServiceEndpoint('secretsmanager', region);
  const actions = list(statement.Action);
  return (
    statement.Effect === 'Allow' &&
    ['kms:Decrypt', 'kms:GenerateDataKey'].some((action) => actions.some((pattern) => wildcardRegExp(pattern, true).test(action))) &&
    positiveValues(statement, 'kms:ViaService').some((value) => wildcardRegExp(value).test(endpoint))
  );
}

/**
 * The IAM users and roles that key-policy statements let use the key via Secrets Manager in
 * `region`, in the order they first appear. The account principal (`:root`) is left out: it
 * delegates to IAM and is no caller.
 */
export function secretsManagerGrantees(keyPolicy: PolicyDocument, region: string): SecretsManagerGrantee[] {
  const byArn = new Map<string, { statements: string[]; patterns: Set<string> }>();
  statementsOf(keyPolicy).forEach((statement, index) => {
    if (!grantsViaSecretsManager(statement, region) || statement.Principal === undefined || statement.Principal === '*') return;
    for (const arn of list(statement.Principal.AWS)) {
      const resource = parseIamPrincipalArn(arn)?.resource;
      if (resource === undefined || resource === 'root') continue;
      const entry = byArn.get(arn) ?? { statements: [], patterns: new Set<string>() };
      entry.statements.push(statement.Sid ?? `statement #${index + 1}`);
      for (const pattern of positiveValues(statement, 'kms:EncryptionContext:SecretARN')) entry.patterns.add(pattern);
      byArn.set(arn, entry);
    }
  });
  return [...byArn].map(([arn, { statements, patterns }]) => ({ arn, statements, secretArnPatterns: [...patterns] }));
}
