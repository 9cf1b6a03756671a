/**
 * Which secrets a reader may read, as ARN patterns: one list serves the reader's
 * `secretsmanager:GetSecretValue` statement and the `kms:EncryptionContext:SecretARN` condition of
 * its KMS statements, so the two can never disagree.
 */
import { secretArnForName, secretArnPattern } from './arn';

/** Where a reader's secrets come from: exactly one of the three. */
export type SecretSource =
  | { readonly kind: 'arns'; readonly arns: readonly string[] }
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'prefix'; readonly prefix: string };

/** Partition, region and account the patterns are built in (the account may be a plan-time reference). */
export interface SecretScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The ARN patterns of `source`: the given ARNs as they are, `<name>-??????` for each name, or
 * `<prefix>*` for a prefix.
 */
export function secretArnPatterns(source: SecretSource, scope: SecretScope): string[] {
  const { partition, region, accountId } = scope;
  switch (source.kind) {
    case 'arns':
      return [...source.arns];
    case 'names':
      return source.names.map((name) => secretArnForName(partition, region, accountId, name));
    case 'prefix':
      return [secretArnPattern(partition, region, accountId, source.prefix)];
  }
}
