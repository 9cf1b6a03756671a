/**
 * The key check: the alias resolves (DescribeKey) to a customer managed key in the expected state
 * whose spec, usage, origin and multi-Region setting match the config.
 */
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { ResolvedKeySettings } from '../../config/key-schema';
import { diagnoseKmsError, keyStateDiagnosis, oneLine } from './diagnosis';
import { requestScope } from './scope';
import type { CheckResult, VerifyContext } from './types';

/** Check id. */
export const KEY_CHECK = 'key';

/** Who may run this check. */
export const KEY_CHECK_NEEDS = 'kms:DescribeKey (a key user or key administrator)';

/** Differences between the key's settings and the config, one line each. */
export function settingMismatches(metadata: KeyMetadata, key: ResolvedKeySettings): string[] {
  const expected: [string, unknown, unknown][] = [
    ['KeySpec', metadata.KeySpec, key.keySpec],
    ['KeyUsage', metadata.KeyUsage, key.keyUsage],
    ['Origin', metadata.Origin, 'AWS_KMS'],
    ['MultiRegion', metadata.MultiRegion ?? false, key.multiRegion],
    ['KeyManager', metadata.KeyManager, 'CUSTOMER'],
  ];
  const lines = expected
    .filter(([, actual, wanted]) => actual !== wanted)
    .map(([field, actual, wanted]) => `${field} is ${String(actual)}, the config expects ${String(wanted)}`);
  if (metadata.Description !== undefined && metadata.Description !== key.description) {
    lines.push(`Description is ${JSON.stringify(metadata.Description)}, the config expects ${JSON.stringify(key.description)}`);
  }
  return lines;
}

/** Runs the key check from the lookup the run already made. */
export function checkKey(context: VerifyContext): CheckResult {
  const { key: lookup, environment } = context;
  const alias = environment.key.alias;
  const scope = requestScope(context, alias);
  switch (lookup.kind) {
    case 'not-found':
    case 'error': {
      const diagnosis = diagnoseKmsError(lookup.error, scope);
      return { id: KEY_CHECK, status: 'fail', reason: diagnosis.summary, details: diagnosis.details };
    }
    case 'denied':
      return {
        id: KEY_CHECK,
        status: 'skipped',
        reason: `needs ${KEY_CHECK_NEEDS}; kms:ListAliases was denied as well (${oneLine(lookup.error)})`,
      };
    case 'listed':
      return {
        id: KEY_CHECK,
        status: 'skipped',
        reason: `needs ${KEY_CHECK_NEEDS}; ${alias} exists and targets ${lookup.keyArn} (from ListAliases)`,
      };
    case 'described':
      break;
  }
  const { metadata } = lookup;
  const expectedState = environment.key.isEnabled ? 'Enabled' : 'Disabled';
  const state = metadata.KeyState ?? 'unknown';
  const details: string[] = [];
  let summary: string | undefined;
  if (state !== expectedState) {
    const diagnosis =
      state === 'Enabled'
        ? { summary: 'the key is Enabled', details: ['the config sets key.isEnabled to false'] }
        : keyStateDiagnosis(state, metadata.DeletionDate);
    summary = `${diagnosis.summary}, the config expects ${expectedState}`;
    details.push(...diagnosis.details);
  }
  const mismatches = settingMismatches(metadata, environment.key);
  if (mismatches.length > 0) {
    summary ??= `${alias} resolves to a key whose settings differ from the config`;
    details.push(...mismatches, `${alias} may point at a key this app did not create, or the key was changed outside Terraform`);
  }
  if (summary !== undefined) return { id: KEY_CHECK, status: 'fail', reason: summary, details };
  const regionality = metadata.MultiRegion ? 'multi-Region' : 'single-Region';
  return {
    id: KEY_CHECK,
    status: 'pass',
    reason: `${alias} -> ${metadata.Arn}: ${state}, ${metadata.KeySpec}/${metadata.KeyUsage}, origin ${metadata.Origin}, ${regionality}`,
  };
}
