/**
 * Resolves the environment's alias to its key: `DescribeKey` with the alias name (the call key
 * users and administrators may both make), and, when that is denied, `ListAliases` (an IAM-only
 * permission) to learn at least the key's ARN.
 */
import { DescribeKeyCommand, type KMSClient, NotFoundException, paginateListAliases } from '@aws-sdk/client-kms';
import { isAccessDenied } from './diagnosis';
import { keyArn, parseKeyArn } from './key-arn';
import type { KeyLookup } from './types';

/** Where the alias lives: the client's region, the caller's account and the partition. */
export interface AliasScope {
  readonly alias: string;
  readonly region: string;
  readonly partition: string;
  readonly callerAccount: string;
}

/** Finds the alias's target with ListAliases; undefined when the alias is not in the list. */
async function targetFromAliasList(kms: KMSClient, alias: string): Promise<string | undefined> {
  for await (const page of paginateListAliases({ client: kms }, {})) {
    const found = page.Aliases?.find((a) => a.AliasName === alias);
    if (found) return found.TargetKeyId;
  }
  return undefined;
}

/** Looks the key up by its alias; never throws. */
export async function resolveKey(kms: KMSClient, scope: AliasScope): Promise<KeyLookup> {
  try {
    const { KeyMetadata: metadata } = await kms.send(new DescribeKeyCommand({ KeyId: scope.alias }));
    if (!metadata?.Arn) return { kind: 'error', error: new Error('kms:DescribeKey answered without KeyMetadata.Arn') };
    const accountId = metadata.AWSAccountId ?? parseKeyArn(metadata.Arn)?.accountId ?? scope.callerAccount;
    return { kind: 'described', metadata, keyArn: metadata.Arn, accountId };
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return { kind: 'not-found', error };
    if (!isAccessDenied(error)) return { kind: 'error', error };
    const describeError = error;
    try {
      const target = await targetFromAliasList(kms, scope.alias);
      if (target === undefined) {
        const error = new NotFoundException({ message: `ListAliases in ${scope.region} has no ${scope.alias}`, $metadata: {} });
        return { kind: 'not-found', error };
      }
      const arn = keyArn({ partition: scope.partition, region: scope.region, accountId: scope.callerAccount, keyId: target });
      return { kind: 'listed', keyArn: arn, accountId: scope.callerAccount, describeError };
    } catch {
      return { kind: 'denied', error: describeError };
    }
  }
}

/** The key's ARN when the lookup found one. */
export function resolvedKeyArn(lookup: KeyLookup): string | undefined {
  return lookup.kind === 'described' || lookup.kind === 'listed' ? lookup.keyArn : undefined;
}
