/**
 * Key specs and key usages that KMS (and hashicorp/aws 5.100.0) accepts, and what each allows.
 * Source: the KMS developer guide, "Key spec reference"; the newer ML_DSA_* and
 * ECC_NIST_EDWARDS25519 specs are left out because provider 5.100.0 rejects them.
 */

/** Every key spec this project offers. */
export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
] as const;

/** A KMS key spec (`customer_master_key_spec` in Terraform). */
export type KeySpec = (typeof KEY_SPECS)[number];

/** Every key usage KMS knows. */
export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;

/** A KMS key usage. */
export type KeyUsage = (typeof KEY_USAGES)[number];

/** The usages KMS allows for each key spec. */
export const USAGES_BY_SPEC: Readonly<Record<KeySpec, readonly KeyUsage[]>> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
  SM2: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
};

/** True for the only kind of key Secrets Manager accepts and KMS rotates automatically. */
export function isSymmetricEncryption(keySpec: KeySpec, keyUsage: KeyUsage): boolean {
  return keySpec === 'SYMMETRIC_DEFAULT' && keyUsage === 'ENCRYPT_DECRYPT';
}
