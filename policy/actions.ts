/**
 * The KMS actions each role gets, in one place. Lists are explicit, never wildcards, so that a
 * reviewer sees every action and no pattern grows when AWS adds an action (the console's
 * `kms:Create*` for administrators also matches `kms:CreateGrant`, which would let an
 * administrator grant itself Decrypt).
 */
import type { KeySpec, KeyUsage } from './key-spec';

/** Management actions for key administrators: everything to run the key, nothing to use it. */
export const ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** Added for keys that rotate: automatic rotation settings and the walk-through's manual rotation. */
export const ROTATION_ADMIN_ACTIONS = [
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyRotations',
  'kms:RotateKeyOnDemand',
] as const;

/** Added unless administrators are kept from deleting the key (the console's "Allow key administrators to delete this key"). */
export const DELETION_ADMIN_ACTIONS = ['kms:CancelKeyDeletion', 'kms:ScheduleKeyDeletion'] as const;

/** Added for multi-Region keys. */
export const MULTI_REGION_ADMIN_ACTIONS = ['kms:ReplicateKey', 'kms:UpdatePrimaryRegion'] as const;

/** The administrator list for a key with the given features, sorted. */
export function adminActions(options: {
  readonly rotatable: boolean;
  readonly multiRegion: boolean;
  /** @default true */
  readonly canDelete?: boolean;
}): string[] {
  return [
    ...ADMIN_ACTIONS,
    ...(options.canDelete === false ? [] : DELETION_ADMIN_ACTIONS),
    ...(options.rotatable ? ROTATION_ADMIN_ACTIONS : []),
    ...(options.multiRegion ? MULTI_REGION_ADMIN_ACTIONS : []),
  ].sort();
}

/**
 * What a key user may do directly, per key usage. For a symmetric key this is the walk-through's
 * encrypt/decrypt test plus envelope encryption: no re-encryption, no grants.
 */
export function userActions(keySpec: KeySpec, keyUsage: KeyUsage): string[] {
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
        : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GetPublicKey'];
    case 'SIGN_VERIFY':
      return ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'];
    case 'GENERATE_VERIFY_MAC':
      return ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'];
    case 'KEY_AGREEMENT':
      return ['kms:DeriveSharedSecret', 'kms:DescribeKey', 'kms:GetPublicKey'];
  }
}

/**
 * Every cryptographic or read action a grant may give for a key usage. Grants of other actions on
 * such a key fail at synth time instead of producing a statement that can never work.
 */
export function grantableActions(keySpec: KeySpec, keyUsage: KeyUsage): string[] {
  const describe = ['kms:DescribeKey'];
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? [
            ...describe,
            'kms:Decrypt',
            'kms:Encrypt',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyPair',
            'kms:GenerateDataKeyPairWithoutPlaintext',
            'kms:GenerateDataKeyWithoutPlaintext',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
          ]
        : [...describe, 'kms:Decrypt', 'kms:Encrypt', 'kms:GetPublicKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
    case 'SIGN_VERIFY':
      return [...describe, 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'];
    case 'GENERATE_VERIFY_MAC':
      return [...describe, 'kms:GenerateMac', 'kms:VerifyMac'];
    case 'KEY_AGREEMENT':
      return [...describe, 'kms:DeriveSharedSecret', 'kms:GetPublicKey'];
  }
}

/** The two actions Secrets Manager needs on its caller's behalf: read a secret, write a new version. */
export const SECRETS_MANAGER_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;
