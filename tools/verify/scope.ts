/** Small helpers the checks share: the request scope for diagnoses, and the skip for an unknown key. */
import type { RequestScope } from './diagnosis';
import { resolvedKeyArn } from './resolve-key';
import type { CheckResult, VerifyContext } from './types';

/** The scope of a request naming `keyRef`, for `diagnoseKmsError`. */
export function requestScope(context: VerifyContext, keyRef: string): RequestScope {
  return {
    keyRef,
    region: context.region,
    configRegion: context.environment.region,
    callerAccount: context.caller.accountId,
    configAccount: context.environment.accountId,
  };
}

/**
 * The key's ARN, or the skipped result of a check that needs it (the key check carries the
 * failure itself, so later checks do not repeat it).
 */
export function keyArnOrSkip(context: VerifyContext, id: string): { keyArn: string } | { skipped: CheckResult } {
  const arn = resolvedKeyArn(context.key);
  if (arn) return { keyArn: arn };
  const why: Record<string, string> = {
    'not-found': 'the key was not found (see the key check)',
    denied: "the key's ARN is unknown: finding it needs kms:DescribeKey or kms:ListAliases",
    error: 'the key could not be looked up (see the key check)',
  };
  return { skipped: { id, status: 'skipped', reason: why[context.key.kind] ?? 'the key is unknown' } };
}
