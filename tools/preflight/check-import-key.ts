/**
 * The import-key check, with `key.importKeyId`: the key exists (`kms:DescribeKey`) and its key
 * spec, key usage and multi-Region setting equal the config's. None of them can change on an
 * existing key, so a difference would make Terraform plan a replacement, which `preventDestroy`
 * (required with an import) then refuses.
 */
import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import { diagnoseKmsError, errorName, isAccessDenied, keyStateDiagnosis } from '../verify/diagnosis';
import type { CheckResult, PreflightContext } from './types';

/** Check id. */
export const IMPORT_KEY_CHECK = 'import-key';

/** Who may run this check. */
export const IMPORT_KEY_NEEDS =
  'kms:DescribeKey on the key (a key administrator or key user of it, or an IAM policy through its account-root statement)';

/** A field of the config the key disagrees with, and how to resolve it. */
interface Mismatch {
  readonly line: string;
  readonly fix: string;
}

/** What about the key stops this project from importing it as configured. */
export function importMismatches(metadata: KeyMetadata, context: PreflightContext): Mismatch[] {
  const { key } = context.environment;
  const id = metadata.KeyId ?? key.importKeyId;
  const mismatches: Mismatch[] = [];
  const field = (name: string, kmsName: string, actual: unknown, wanted: unknown, fix: string) => {
    if (actual !== wanted) mismatches.push({ line: `${name} is ${String(wanted)}, but key ${id} has ${kmsName} ${String(actual)}`, fix });
  };
  field(
    'key.keySpec',
    'KeySpec',
    metadata.KeySpec,
    key.keySpec,
    `set key.keySpec to ${metadata.KeySpec} (a key's spec cannot change), or import another key`,
  );
  field(
    'key.keyUsage',
    'KeyUsage',
    metadata.KeyUsage,
    key.keyUsage,
    `set key.keyUsage to ${metadata.KeyUsage} (a key's usage cannot change), or import another key`,
  );
  field(
    'key.multiRegion',
    'MultiRegion',
    metadata.MultiRegion ?? false,
    key.multiRegion,
    `set key.multiRegion to ${String(metadata.MultiRegion ?? false)} (a key cannot become multi-Region or stop being it), or import another key`,
  );
  if (metadata.KeyManager !== undefined && metadata.KeyManager !== 'CUSTOMER') {
    mismatches.push({
      line: `key.importKeyId: key ${id} is managed by ${metadata.KeyManager}, not a customer managed key`,
      fix: 'an AWS managed key\u2019s policy cannot be changed: import a customer managed key, or remove key.importKeyId to create one',
    });
  }
  if (metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA') {
    const primary = metadata.MultiRegionConfiguration.PrimaryKey?.Arn;
    mismatches.push({
      line: `key.importKeyId: key ${id} is a replica key`,
      fix: `this project manages primary keys (aws_kms_key): import the primary key${primary ? ` ${primary}` : ''} in its own region`,
    });
  }
  if (metadata.Origin !== undefined && metadata.Origin !== 'AWS_KMS') {
    mismatches.push({
      line: `key.importKeyId: key ${id} has origin ${metadata.Origin}, not AWS_KMS`,
      fix: 'this project manages keys whose material KMS generates, with no custom key store: import such a key, or remove key.importKeyId',
    });
  }
  if (metadata.AWSAccountId !== undefined && metadata.AWSAccountId !== context.accountId) {
    mismatches.push({
      line: `key.importKeyId: key ${id} is in account ${metadata.AWSAccountId}, the environment deploys to ${context.accountId}`,
      fix: 'a key is imported into its own account: use credentials of that account, or import a key of this one',
    });
  }
  const state = metadata.KeyState;
  if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') {
    const diagnosis = keyStateDiagnosis('PendingDeletion', metadata.DeletionDate);
    mismatches.push({ line: `key.importKeyId: ${diagnosis.summary}`, fix: diagnosis.details.join('; ') });
  }
  return mismatches;
}

/** Runs the import-key check. */
export async function checkImportKey(kms: KMSClient, context: PreflightContext): Promise<CheckResult> {
  const { environment, region } = context;
  const reference = environment.key.importKeyId;
  if (reference === undefined)
    return { id: IMPORT_KEY_CHECK, status: 'skipped', reason: 'no key.importKeyId: the stack creates a new key' };
  const scope = {
    keyRef: reference,
    region,
    configRegion: environment.region,
    callerAccount: context.caller.accountId,
    configAccount: environment.accountId,
  };
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await kms.send(new DescribeKeyCommand({ KeyId: reference }))).KeyMetadata;
  } catch (error) {
    const diagnosis = diagnoseKmsError(error, scope);
    if (isAccessDenied(error)) {
      return {
        id: IMPORT_KEY_CHECK,
        status: 'skipped',
        reason: `needs ${IMPORT_KEY_NEEDS}`,
        details: diagnosis.ambiguity ? [diagnosis.ambiguity] : undefined,
      };
    }
    if (errorName(error) === 'NotFoundException') {
      return {
        id: IMPORT_KEY_CHECK,
        status: 'fail',
        reason: `key.importKeyId: no key ${reference} in ${region} of account ${context.caller.accountId}`,
        details: [
          ...(region !== environment.region
            ? [`the request went to ${region} (--region), the environment is in ${environment.region}: drop --region`]
            : []),
          `keys exist per account and region: are the credentials for the account that holds the key (${context.caller.accountId} now)?`,
          'correct key.importKeyId (copy the key id or ARN from the KMS console), or remove it to create a new key',
        ],
      };
    }
    return { id: IMPORT_KEY_CHECK, status: 'fail', reason: `key.importKeyId: ${diagnosis.summary}`, details: diagnosis.details };
  }
  if (!metadata) return { id: IMPORT_KEY_CHECK, status: 'fail', reason: 'kms:DescribeKey answered without KeyMetadata' };
  const mismatches = importMismatches(metadata, context);
  if (mismatches.length > 0) {
    const [first, ...more] = mismatches;
    return {
      id: IMPORT_KEY_CHECK,
      status: 'fail',
      reason: first.line,
      details: [`fix: ${first.fix}`, ...more.flatMap((m) => [`also: ${m.line}`, `fix: ${m.fix}`])],
    };
  }
  const regionality = metadata.MultiRegion ? 'multi-Region' : 'single-Region';
  return {
    id: IMPORT_KEY_CHECK,
    status: 'pass',
    reason: `${metadata.Arn ?? reference} exists: ${metadata.KeySpec}/${metadata.KeyUsage}, ${regionality}, ${metadata.KeyState ?? 'state unknown'}, as key.keySpec, key.keyUsage and key.multiRegion say`,
  };
}
