/** Condition helpers for KMS key policies and the identity policies that go with them. */
import { type Condition, stringEquals } from './statement';

/** The service endpoint KMS sees in `kms:ViaService` when `service` calls it in `region`. */
export function viaServiceEndpoint(service: string, region: string): string {
  return `${service}.${region}.amazonaws.com`;
}

/**
 * Restrict a statement to requests that an AWS service (e.g. `secretsmanager`) makes on the
 * caller's behalf in this region, for callers in this account.
 */
export function viaServiceConditions(service: string, region: string, accountId: string): Condition[] {
  return [stringEquals('kms:CallerAccount', accountId), stringEquals('kms:ViaService', viaServiceEndpoint(service, region))];
}

/** The encryption-context key Secrets Manager sets to the ARN of the secret it encrypts or decrypts. */
export const SECRET_ARN_CONTEXT_KEY = 'kms:EncryptionContext:SecretARN';

/**
 * Restrict a statement to Secrets Manager requests for the secrets whose ARNs match `patterns`
 * (`StringLike`: `*` and `?` are wildcards): Secrets Manager calls KMS with the encryption context
 * `{"SecretARN": <secret ARN>, "SecretVersionId": ...}`.
 */
export function secretArnConditions(patterns: readonly string[]): Condition[] {
  return [{ test: 'StringLike', variable: SECRET_ARN_CONTEXT_KEY, values: [...patterns] }];
}
