/**
 * Finding a Secrets Manager secret: by name or full ARN (`secretsmanager:DescribeSecret`), or by
 * an ARN pattern `...:secret:<name>-??????` (`secretsmanager:ListSecrets` filtered by the name,
 * then the pattern matched against each ARN, since the filter is a prefix match).
 */
import { DescribeSecretCommand, paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SECRET_SUFFIX_WILDCARD } from '../../config/lambda-role-schema';
import { type LookupFailure, lookupFailure } from '../lib/lookup-failure';
import { errorName } from '../verify/diagnosis';
import { matchesArnPattern } from '../verify/secret-arns';

/** What Secrets Manager said about one secret. */
export type SecretLookup =
  /** It exists; `deletedDate` is set when it is scheduled for deletion. */
  { readonly kind: 'found'; readonly arn: string; readonly deletedDate?: Date } | { readonly kind: 'missing' } | LookupFailure;

/** A secret ARN taken apart: where it lives, and its name (with the pattern's `-??????` removed). */
export interface SecretArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The text after `:secret:`, as given. */
  readonly resource: string;
  /** Whether the ARN ends with the `-??????` wildcard. */
  readonly isPattern: boolean;
  /** For a pattern, the secret's name; for a full ARN, the name with its six-character suffix. */
  readonly name: string;
}

const SECRET_ARN = /^arn:([a-z-]+):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/** Parses `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`, or undefined. */
export function parseSecretArn(arn: string): SecretArnParts | undefined {
  const match = SECRET_ARN.exec(arn);
  if (!match) return undefined;
  const resource = match[4];
  const isPattern = resource.endsWith(SECRET_SUFFIX_WILDCARD);
  return {
    partition: match[1],
    region: match[2],
    accountId: match[3],
    resource,
    isPattern,
    name: isPattern ? resource.slice(0, -SECRET_SUFFIX_WILDCARD.length) : resource,
  };
}

function failed(error: unknown): SecretLookup {
  if (errorName(error) === 'ResourceNotFoundException') return { kind: 'missing' };
  return lookupFailure(error);
}

/** DescribeSecret by name or full ARN. */
export async function describeSecret(client: SecretsManagerClient, secretId: string): Promise<SecretLookup> {
  try {
    const answer = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return { kind: 'found', arn: answer.ARN ?? secretId, deletedDate: answer.DeletedDate };
  } catch (error) {
    return failed(error);
  }
}

/**
 * The secret an ARN pattern names: ListSecrets with a `name` filter (a case-sensitive prefix
 * match), secrets scheduled for deletion included, and the first whose ARN matches the pattern.
 */
export async function findSecretByPattern(client: SecretsManagerClient, pattern: string, name: string): Promise<SecretLookup> {
  try {
    for await (const page of paginateListSecrets(
      { client },
      { Filters: [{ Key: 'name', Values: [name] }], IncludePlannedDeletion: true },
    )) {
      const found = page.SecretList?.find((secret) => secret.ARN !== undefined && matchesArnPattern(secret.ARN, pattern));
      if (found) return { kind: 'found', arn: found.ARN!, deletedDate: found.DeletedDate };
    }
    return { kind: 'missing' };
  } catch (error) {
    return failed(error);
  }
}
