/**
 * The alias check: `alias/<alias>` must be free (creating it would fail with
 * `AlreadyExistsException`), or, with `key.importKeyId` and `key.importAlias`, exist and point at
 * the imported key. The lookup is verify's: `kms:DescribeKey` on the alias, and `kms:ListAliases`
 * when that is denied (an alias of a key the caller may not describe).
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { parseKeyReference } from '../../policy/key-reference';
import { diagnoseKmsError, oneLine } from '../verify/diagnosis';
import { parseKeyArn } from '../verify/key-arn';
import { resolveKey } from '../verify/resolve-key';
import { ALREADY_DEPLOYED_NOTE } from './notes';
import type { CheckResult, PreflightContext } from './types';

/** Check id. */
export const ALIAS_CHECK = 'alias';

/** Who may run this check. */
export const ALIAS_NEEDS = 'kms:ListAliases (or kms:DescribeKey on the key the alias points at)';

/**
 * Runs the alias check: the key's alias as above, then each of `key.additionalAliases`, which the
 * stack always creates and so must be free. Aliases in replica regions are not looked up (that
 * would need a client per region): `terraform apply` reports those.
 */
export async function checkAlias(kms: KMSClient, context: PreflightContext): Promise<CheckResult> {
  const primary = await checkPrimaryAlias(kms, context);
  const extra = context.environment.key.additionalAliases;
  if (primary.status !== 'pass' || extra.length === 0) return primary;
  const { environment, region } = context;
  const where = `in ${region} of account ${context.caller.accountId}`;
  const taken: string[] = [];
  for (const alias of extra) {
    const lookup = await resolveKey(kms, { alias, region, partition: environment.partition, callerAccount: context.caller.accountId });
    if (lookup.kind === 'denied')
      return { id: ALIAS_CHECK, status: 'skipped', reason: `needs ${ALIAS_NEEDS}; kms:DescribeKey answered ${oneLine(lookup.error)}` };
    if (lookup.kind === 'error')
      return { id: ALIAS_CHECK, status: 'fail', reason: `${alias} could not be looked up: ${oneLine(lookup.error)}` };
    if (lookup.kind !== 'not-found') taken.push(`${alias} (points at ${lookup.keyArn})`);
  }
  if (taken.length > 0) {
    return {
      id: ALIAS_CHECK,
      status: 'fail',
      reason: `key.additionalAliases ${taken.join(', ')} already exist ${where}: creating them would fail with AlreadyExistsException`,
      details: [
        'choose other additional aliases (aliases are unique per account and region), or delete the old ones if no longer used',
        ALREADY_DEPLOYED_NOTE,
      ],
    };
  }
  return { ...primary, reason: `${primary.reason}; the additional aliases ${extra.join(', ')} are free` };
}

async function checkPrimaryAlias(kms: KMSClient, context: PreflightContext): Promise<CheckResult> {
  const { environment, region } = context;
  const { alias, importKeyId, importAlias } = environment.key;
  const imported = importKeyId === undefined ? undefined : parseKeyReference(importKeyId)?.keyId;
  const lookup = await resolveKey(kms, { alias, region, partition: environment.partition, callerAccount: context.caller.accountId });
  const where = `in ${region} of account ${context.caller.accountId}`;
  switch (lookup.kind) {
    case 'denied':
      return { id: ALIAS_CHECK, status: 'skipped', reason: `needs ${ALIAS_NEEDS}; kms:DescribeKey answered ${oneLine(lookup.error)}` };
    case 'error': {
      const diagnosis = diagnoseKmsError(lookup.error, {
        keyRef: alias,
        region,
        configRegion: environment.region,
        callerAccount: context.caller.accountId,
        configAccount: environment.accountId,
      });
      return {
        id: ALIAS_CHECK,
        status: 'fail',
        reason: `${alias} could not be looked up: ${diagnosis.summary}`,
        details: diagnosis.details,
      };
    }
    case 'not-found':
      if (importAlias) {
        return {
          id: ALIAS_CHECK,
          status: 'fail',
          reason: `key.importAlias is true, but ${alias} does not exist ${where}: Terraform cannot import it`,
          details: [
            `correct key.alias to the alias that points at key ${imported}`,
            'or set key.importAlias to false so that the stack creates the alias for the imported key',
          ],
        };
      }
      return { id: ALIAS_CHECK, status: 'pass', reason: `${alias} is free ${where}; the stack creates it` };
    case 'described':
    case 'listed':
      break;
  }
  const target =
    lookup.kind === 'described' ? (lookup.metadata.KeyId ?? parseKeyArn(lookup.keyArn)?.keyId) : parseKeyArn(lookup.keyArn)?.keyId;
  if (imported !== undefined && target === imported) {
    if (importAlias)
      return {
        id: ALIAS_CHECK,
        status: 'pass',
        reason: `${alias} exists and points at the imported key ${imported}; the stack imports it`,
      };
    return {
      id: ALIAS_CHECK,
      status: 'fail',
      reason: `${alias} already points at the imported key ${imported}, but key.importAlias is false: creating the alias would fail with AlreadyExistsException`,
      details: ['set key.importAlias to true (or leave it out: true is the default with importKeyId)', 'or choose another key.alias'],
    };
  }
  if (imported !== undefined) {
    return {
      id: ALIAS_CHECK,
      status: 'fail',
      reason: `${alias} already exists ${where} and points at key ${target}, not at the imported key ${imported}`,
      details: [
        'choose another key.alias (aliases are unique per account and region)',
        `or, if key ${target} is the one to manage, set key.importKeyId to ${target}`,
        `or point the alias at key ${imported} first (kms:UpdateAlias) if it is no longer used for key ${target}`,
      ],
    };
  }
  return {
    id: ALIAS_CHECK,
    status: 'fail',
    reason: `${alias} already exists ${where} and points at key ${target}: creating it would fail with AlreadyExistsException`,
    details: [
      'choose another key.alias (aliases are unique per account and region)',
      `or, if key ${target} is the one this environment should manage, import it: set key.importKeyId to ${target} (its alias is imported too)`,
      ALREADY_DEPLOYED_NOTE,
    ],
  };
}
