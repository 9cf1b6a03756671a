import {
  DecryptCommand,
  DisabledException,
  EncryptCommand,
  InvalidCiphertextException,
  KMSInvalidStateException,
} from '@aws-sdk/client-kms';
import { checkRoundTrip, roundTripContext } from '../../tools/verify/check-round-trip';
import type { VerifyContext } from '../../tools/verify/types';
import { ALIAS, AUDITOR, context, environment, KEY_ARN, KEY_USER, kmsAccessDenied, kmsError, mockedClients } from './fixtures';

const CIPHERTEXT = new Uint8Array([1, 2, 3, 4]);

async function roundTrip(setup: (kms: ReturnType<typeof mockedClients>['kms']) => void, overrides: Partial<VerifyContext> = {}) {
  const { clients, kms } = mockedClients();
  setup(kms);
  return { result: await checkRoundTrip(clients.kms, context({ caller: KEY_USER, ...overrides }), 'hello from verify'), kms };
}

/** KMS that decrypts to whatever was encrypted, as long as the encryption context matches. */
function workingKms(kms: ReturnType<typeof mockedClients>['kms']) {
  let stored: { plaintext: Uint8Array; context: unknown } | undefined;
  kms.on(EncryptCommand).callsFake((input) => {
    stored = { plaintext: input.Plaintext, context: input.EncryptionContext };
    return { CiphertextBlob: CIPHERTEXT, KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    if (JSON.stringify(input.EncryptionContext) !== JSON.stringify(stored?.context)) {
      throw new InvalidCiphertextException({ message: '', $metadata: { httpStatusCode: 400 } });
    }
    return { Plaintext: stored?.plaintext, KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  });
}

describe('round trip: Encrypt a test message with an encryption context, Decrypt it, compare', () => {
  test('passes for a key user; encrypts through the alias and decrypts pinned to the key with the same context', async () => {
    const { result, kms } = await roundTrip(workingKms);
    expect(result.status).toBe('pass');
    const encrypt = kms.commandCalls(EncryptCommand)[0].args[0].input;
    expect(encrypt.KeyId).toBe(ALIAS);
    expect(encrypt.EncryptionContext).toEqual(roundTripContext('tutorial'));
    expect(new TextDecoder().decode(encrypt.Plaintext)).toBe('hello from verify');
    expect(kms.commandCalls(DecryptCommand)[0].args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      EncryptionContext: roundTripContext('tutorial'),
    });
  });

  test('fails when Decrypt returns other bytes', async () => {
    const { result } = await roundTrip((kms) => {
      kms.on(EncryptCommand).resolves({ CiphertextBlob: CIPHERTEXT, KeyId: KEY_ARN });
      kms.on(DecryptCommand).resolves({ Plaintext: new TextEncoder().encode('something else'), KeyId: KEY_ARN });
    });
    expect(result).toMatchObject({ status: 'fail', reason: 'Decrypt returned different bytes than were encrypted' });
  });

  test('fails on a disabled key and corrects the walk-through: it cannot decrypt either', async () => {
    const { result } = await roundTrip((kms) =>
      kms.on(EncryptCommand).rejects(new DisabledException({ message: `${KEY_ARN} is disabled.`, $metadata: { httpStatusCode: 400 } })),
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'Encrypt: the key is Disabled' });
    expect(result.details?.[0]).toMatch(
      /decryption included \(the walk-through says disabled keys can still decrypt existing data; they cannot\)/,
    );
  });

  test('fails on a key pending deletion', async () => {
    const { result } = await roundTrip((kms) =>
      kms
        .on(EncryptCommand)
        .rejects(new KMSInvalidStateException({ message: `${KEY_ARN} is pending deletion.`, $metadata: { httpStatusCode: 400 } })),
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'Encrypt: the key is PendingDeletion' });
  });

  test('fails when the caller is a configured key user and Encrypt is denied, saying which policy is missing', async () => {
    const { result } = await roundTrip((kms) => kms.on(EncryptCommand).rejects(kmsAccessDenied('kms:Encrypt', KEY_USER)));
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^Encrypt: AccessDenied: User: arn:aws:sts::111122223333:assumed-role\/KeyUser\/alice is not authorized/);
    expect(result.details).toEqual([
      `${KEY_USER.arn} is listed in key.users, so Encrypt should be allowed`,
      expect.stringMatching(/^the key policy does not allow it/),
    ]);
  });

  test('is skipped for a caller the config does not name as a key user', async () => {
    const { result, kms } = await roundTrip(
      (kms) =>
        kms
          .on(EncryptCommand)
          .rejects(kmsAccessDenied('kms:Encrypt', AUDITOR, KEY_ARN, 'because no identity-based policy allows the kms:Encrypt action')),
      { caller: AUDITOR },
    );
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^needs kms:Encrypt and kms:Decrypt \(a key user/) });
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  test('says when KMS does not tell a missing key from a missing permission on Decrypt', async () => {
    const { result } = await roundTrip(
      (kms) => {
        kms.on(EncryptCommand).resolves({ CiphertextBlob: CIPHERTEXT, KeyId: KEY_ARN });
        kms
          .on(DecryptCommand)
          .rejects(
            kmsError(
              'AccessDeniedException',
              'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
            ),
          );
      },
      { caller: AUDITOR },
    );
    expect(result.status).toBe('skipped');
    expect(result.details?.[0]).toMatch(/does not say whether the key is missing, in another region, or not allowed/);
  });

  test('is skipped for a key that is not a symmetric encryption key', async () => {
    const env = environment({ key: { alias: 'signing', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }, lambdaRole: undefined });
    const { result, kms } = await roundTrip(workingKms, { environment: env });
    expect(result.status).toBe('skipped');
    expect(kms.calls()).toHaveLength(0);
  });

  test('is skipped when the config disables the key on purpose', async () => {
    const env = environment({ key: { alias: 'secrets-manager-encryption-key', isEnabled: false } });
    const { result, kms } = await roundTrip(workingKms, { environment: env });
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('isEnabled: false') });
    expect(kms.calls()).toHaveLength(0);
  });

  test('is skipped when the key was not found, leaving the failure to the key check', async () => {
    const { result } = await roundTrip(workingKms, { key: { kind: 'not-found', error: new Error('x') } });
    expect(result.status).toBe('skipped');
  });
});
