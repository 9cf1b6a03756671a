/**
 * The round trip: `Encrypt` a test message through the alias with an encryption context, `Decrypt`
 * it with the same context, compare. This replaces the walk-through's `aws kms encrypt` /
 * `aws kms decrypt` steps in CloudShell.
 */
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { isSymmetricEncryption } from '../../policy/key-spec';
import { callerIsAny } from './caller';
import { diagnoseKmsError, isAccessDenied } from './diagnosis';
import { requestScope } from './scope';
import type { CheckResult, VerifyContext } from './types';

/** Check id. */
export const ROUND_TRIP_CHECK = 'round-trip';

/** Who may run this check. */
export const ROUND_TRIP_NEEDS = 'kms:Encrypt and kms:Decrypt (a key user: listed in key.users, or allowed by an IAM policy)';

/** The encryption context of the test message; Decrypt must present the same pairs. */
export function roundTripContext(environment: string): Record<string, string> {
  return { purpose: 'kms-verify', environment };
}

/**
 * Runs the round trip. AccessDenied is "skipped" for callers the config does not name as key
 * users (they are not meant to use the key) and a failure for those it does.
 */
export async function checkRoundTrip(
  kms: KMSClient,
  context: VerifyContext,
  message = `kms verify ${new Date().toISOString()}`,
): Promise<CheckResult> {
  const { environment } = context;
  const { keySpec, keyUsage, alias, users } = environment.key;
  if (!isSymmetricEncryption(keySpec, keyUsage)) {
    return {
      id: ROUND_TRIP_CHECK,
      status: 'skipped',
      reason: `the key is ${keySpec}/${keyUsage}; the round trip applies to SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys`,
    };
  }
  if (!environment.key.isEnabled) {
    return {
      id: ROUND_TRIP_CHECK,
      status: 'skipped',
      reason: 'the config disables the key (key.isEnabled: false), so it cannot encrypt or decrypt',
    };
  }
  if (context.key.kind === 'not-found') {
    return { id: ROUND_TRIP_CHECK, status: 'skipped', reason: 'the key was not found (see the key check)' };
  }
  const encryptionContext = roundTripContext(environment.name);
  const plaintext = new TextEncoder().encode(message);
  const isKeyUser = callerIsAny(context.caller, users);
  const failure = (error: unknown, step: string, keyRef: string): CheckResult => {
    const diagnosis = diagnoseKmsError(error, requestScope(context, keyRef));
    if (isAccessDenied(error) && !isKeyUser) {
      const { ambiguity } = diagnosis;
      return {
        id: ROUND_TRIP_CHECK,
        status: 'skipped',
        reason: `needs ${ROUND_TRIP_NEEDS}; ${step} was denied`,
        details: ambiguity ? [ambiguity] : undefined,
      };
    }
    const named = isAccessDenied(error) ? [`${context.caller.arn} is listed in key.users, so ${step} should be allowed`] : [];
    return { id: ROUND_TRIP_CHECK, status: 'fail', reason: `${step}: ${diagnosis.summary}`, details: [...named, ...diagnosis.details] };
  };

  let ciphertext: Uint8Array | undefined;
  let encryptedWith: string | undefined;
  try {
    const answer = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: plaintext, EncryptionContext: encryptionContext }));
    ciphertext = answer.CiphertextBlob;
    encryptedWith = answer.KeyId;
  } catch (error) {
    return failure(error, 'Encrypt', alias);
  }
  if (!ciphertext || !encryptedWith)
    return { id: ROUND_TRIP_CHECK, status: 'fail', reason: 'Encrypt answered without CiphertextBlob or KeyId' };

  let decrypted: Uint8Array | undefined;
  try {
    const answer = await kms.send(
      new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: encryptedWith, EncryptionContext: encryptionContext }),
    );
    decrypted = answer.Plaintext;
  } catch (error) {
    return failure(error, 'Decrypt', encryptedWith);
  }
  const expectedArn = context.key.kind === 'described' || context.key.kind === 'listed' ? context.key.keyArn : undefined;
  if (expectedArn && expectedArn !== encryptedWith) {
    return {
      id: ROUND_TRIP_CHECK,
      status: 'fail',
      reason: `Encrypt used ${encryptedWith}, but ${alias} was resolved to ${expectedArn}`,
      details: ['the alias was re-pointed while verify ran'],
    };
  }
  if (!decrypted || Buffer.compare(Buffer.from(decrypted), Buffer.from(plaintext)) !== 0) {
    return { id: ROUND_TRIP_CHECK, status: 'fail', reason: 'Decrypt returned different bytes than were encrypted' };
  }
  return {
    id: ROUND_TRIP_CHECK,
    status: 'pass',
    reason: `encrypted and decrypted ${plaintext.length} bytes with ${encryptedWith} and encryption context ${JSON.stringify(encryptionContext)}`,
  };
}
