/**
 * The alias check: `alias/<alias>` must be free (creating it would fail with
 * `AlreadyExistsException`), or, with `key.importKeyId` and `key.importAlias`, exist and point at
 * the imported key; every other alias the stack creates (additional aliases, the replicas' aliases
 * in their regions, the alert keys' aliases) must be free. The lookup is verify's: `kms:DescribeKey` on the alias, and `kms:ListAliases`
 * when that is denied (an alias of a key the caller may not describe).
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { alertNames } from '../../policy/alerts';
import { parseKeyReference } from '../../policy/key-reference';
import { diagnoseKmsError, oneLine } from '../verify/diagnosis';
import { parseKeyArn } from '../verify/key-arn';
import { resolveKey } from '../verify/resolve-key';
import { ALREADY_DEPLOYED_NOTE } from './notes';
import type { CheckResult, PreflightClients, PreflightContext } from './types';

/** Check id. */
export const ALIAS_CHECK = 'alias';

/** Who may run this check. */
export const ALIAS_NEEDS = 'kms:ListAliases (or kms:DescribeKey on the key the alias points at)';

/** An alias the stack creates besides the key's own in the primary region, and where. */
interface WantedAlias {
  readonly alias: string;
  readonly region: string;
  /** What in the config makes it, for the message. */
  readonly source: string;
}

/** An alias the stack would create that exists already, and the key it points at. */
interface TakenAlias extends WantedAlias {
  readonly keyArn: string;
}

/**
 * Every alias the stack creates besides `key.alias` in the primary region: `key.additionalAliases`
 * there; `key.alias` and the additional aliases on each replica, in its region; and the alert key's
 * alias in every region where a key lives, when `audit` makes an alert key (no `snsTopicArn`).
 */
export function otherAliases(context: PreflightContext): WantedAlias[] {
  const { key, audit, name } = context.environment;
  const alertAlias = audit !== undefined && audit.snsTopicArn === undefined ? alertNames(name).alias : undefined;
  const wanted: WantedAlias[] = key.additionalAliases.map((alias) => ({ alias, region: context.region, source: 'key.additionalAliases' }));
  if (alertAlias !== undefined) wanted.push({ alias: alertAlias, region: context.region, source: "the alert key's alias (audit)" });
  for (const region of key.replicaRegions) {
    wanted.push({ alias: key.alias, region, source: 'key.alias on the replica' });
    for (const alias of key.additionalAliases) wanted.push({ alias, region, source: 'key.additionalAliases on the replica' });
    if (alertAlias !== undefined) wanted.push({ alias: alertAlias, region, source: "the alert key's alias (audit)" });
  }
  return wanted;
}

/**
 * Runs the alias check: the key's alias as above, then every other alias the stack creates
 * (`otherAliases`), which must be free, each looked up in its own region.
 */
export async function checkAlias(clients: Pick<PreflightClients, 'kms' | 'kmsIn'>, context: PreflightContext): Promise<CheckResult> {
  const primary = await checkPrimaryAlias(clients.kms, context);
  const wanted = otherAliases(context);
  if (primary.status !== 'pass' || wanted.length === 0) return primary;
  const { environment } = context;
  const taken: TakenAlias[] = [];
  for (const item of wanted) {
    const kms = item.region === context.region ? clients.kms : clients.kmsIn(item.region);
    const lookup = await resolveKey(kms, {
      alias: item.alias,
      region: item.region,
      partition: environment.partition,
      callerAccount: context.caller.accountId,
    });
    if (lookup.kind === 'denied')
      return {
        id: ALIAS_CHECK,
        status: 'skipped',
        reason: `needs ${ALIAS_NEEDS} in ${item.region}; kms:DescribeKey answered ${oneLine(lookup.error)}`,
      };
    if (lookup.kind === 'error')
      return {
        id: ALIAS_CHECK,
        status: 'fail',
        reason: `${item.alias} in ${item.region} could not be looked up: ${oneLine(lookup.error)}`,
      };
    if (lookup.kind !== 'not-found') {
      taken.push({ ...item, keyArn: lookup.keyArn });
    }
  }
  if (taken.length > 0) return takenResult(context, taken);
  const regions = [...new Set(wanted.map((w) => w.region))];
  const list = (region: string) =>
    wanted
      .filter((w) => w.region === region)
      .map((w) => w.alias)
      .join(', ');
  const free =
    regions.length === 1 && regions[0] === context.region && wanted.every((w) => w.source === 'key.additionalAliases')
      ? `the additional aliases ${list(context.region)} are free`
      : `the other aliases it creates are free: ${regions.map((region) => `${list(region)} in ${region}`).join('; ')}`;
  return { ...primary, reason: `${primary.reason}; ${free}` };
}

function takenResult(context: PreflightContext, taken: readonly TakenAlias[]): CheckResult {
  const account = context.caller.accountId;
  if (taken.every((t) => t.source === 'key.additionalAliases' && t.region === context.region)) {
    const names = taken.map((t) => `${t.alias} (points at ${t.keyArn})`).join(', ');
    return {
      id: ALIAS_CHECK,
      status: 'fail',
      reason: `key.additionalAliases ${names} already exist in ${context.region} of account ${account}: creating them would fail with AlreadyExistsException`,
      details: [
        'choose other additional aliases (aliases are unique per account and region), or delete the old ones if no longer used',
        ALREADY_DEPLOYED_NOTE,
      ],
    };
  }
  const names = taken.map((t) => `${t.alias} in ${t.region} (${t.source}; points at ${t.keyArn})`).join(', ');
  return {
    id: ALIAS_CHECK,
    status: 'fail',
    reason: `aliases the stack creates already exist in account ${account}: ${names}; creating them would fail with AlreadyExistsException`,
    details: [
      'choose other aliases (aliases are unique per account and region; key.alias and key.additionalAliases are created in every replica region too)',
      ALREADY_DEPLOYED_NOTE,
    ],
  };
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
