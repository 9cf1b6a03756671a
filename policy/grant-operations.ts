/**
 * KMS grant operations (the names `aws_kms_grant.operations` takes, without `kms:`) that suit each
 * kind of key, from the KMS developer guide's "Grant operations" section. `CreateGrant` is left out
 * everywhere: a grantee must not be able to re-delegate.
 */
import type { KeySpec, KeyUsage } from './key-spec';

/** Every grant operation KMS knows. */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
  'DescribeKey',
  'RetireGrant',
  'CreateGrant',
] as const;

/** A grant operation. */
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

/** The operations a grant on a key of this spec and usage may give (never CreateGrant). */
export function grantOperationsFor(keySpec: KeySpec, keyUsage: KeyUsage): GrantOperation[] {
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? [
            'Decrypt',
            'DescribeKey',
            'Encrypt',
            'GenerateDataKey',
            'GenerateDataKeyPair',
            'GenerateDataKeyPairWithoutPlaintext',
            'GenerateDataKeyWithoutPlaintext',
            'ReEncryptFrom',
            'ReEncryptTo',
            'RetireGrant',
          ]
        : ['Decrypt', 'DescribeKey', 'Encrypt', 'GetPublicKey', 'ReEncryptFrom', 'ReEncryptTo', 'RetireGrant'];
    case 'SIGN_VERIFY':
      return ['DescribeKey', 'GetPublicKey', 'RetireGrant', 'Sign', 'Verify'];
    case 'GENERATE_VERIFY_MAC':
      return ['DescribeKey', 'GenerateMac', 'RetireGrant', 'VerifyMac'];
    case 'KEY_AGREEMENT':
      return ['DeriveSharedSecret', 'DescribeKey', 'GetPublicKey', 'RetireGrant'];
  }
}

/** Operations that use the key (or, RetireGrant aside, reveal data): an administrator must have none. */
export const KEY_USE_GRANT_OPERATIONS: readonly GrantOperation[] = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'GenerateMac',
  'DeriveSharedSecret',
];
