import { GetKeyRotationStatusCommand, UnsupportedOperationException } from '@aws-sdk/client-kms';
import { checkRotation } from '../../tools/verify/check-rotation';
import type { VerifyContext } from '../../tools/verify/types';
import { context, environment, KEY_ARN, KEY_USER, kmsAccessDenied, metadata, mockedClients } from './fixtures';

async function rotationCheck(setup: (kms: ReturnType<typeof mockedClients>['kms']) => void, overrides: Partial<VerifyContext> = {}) {
  const { clients, kms } = mockedClients();
  setup(kms);
  return { result: await checkRotation(clients.kms, context(overrides)), kms };
}

describe('rotation check: rotation on and the period as configured', () => {
  test('passes when rotation is on every 365 days, asking by key ARN', async () => {
    const { result, kms } = await rotationCheck((kms) =>
      kms.on(GetKeyRotationStatusCommand).resolves({
        KeyId: KEY_ARN,
        KeyRotationEnabled: true,
        RotationPeriodInDays: 365,
        NextRotationDate: new Date('2027-11-01T10:00:00Z'),
      }),
    );
    expect(result).toMatchObject({ status: 'pass', reason: 'automatic rotation is on, every 365 days, next rotation 2027-11-01' });
    expect(kms.commandCalls(GetKeyRotationStatusCommand)[0].args[0].input).toEqual({ KeyId: KEY_ARN });
  });

  test('fails when rotation is off although configured on', async () => {
    const { result } = await rotationCheck((kms) =>
      kms.on(GetKeyRotationStatusCommand).resolves({ KeyId: KEY_ARN, KeyRotationEnabled: false }),
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'automatic rotation is off, the config expects it on' });
  });

  test('fails when the period differs from the config', async () => {
    const { result } = await rotationCheck((kms) =>
      kms.on(GetKeyRotationStatusCommand).resolves({ KeyId: KEY_ARN, KeyRotationEnabled: true, RotationPeriodInDays: 90 }),
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'rotation period is 90 days, the config expects 365' });
  });

  test('passes when rotation is off and the config turns it off', async () => {
    const env = environment({ key: { alias: 'secrets-manager-encryption-key', enableKeyRotation: false } });
    const { result } = await rotationCheck(
      (kms) => kms.on(GetKeyRotationStatusCommand).resolves({ KeyId: KEY_ARN, KeyRotationEnabled: false }),
      { environment: env },
    );
    expect(result.status).toBe('pass');
  });

  test('passes for a key KMS cannot rotate when the config expects no rotation', async () => {
    const env = environment({ key: { alias: 'signing', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }, lambdaRole: undefined });
    const { result } = await rotationCheck(
      (kms) =>
        kms.on(GetKeyRotationStatusCommand).rejects(
          new UnsupportedOperationException({
            message: `${KEY_ARN} key usage SIGN_VERIFY is not supported.`,
            $metadata: { httpStatusCode: 400 },
          }),
        ),
      { environment: env },
    );
    expect(result.status).toBe('pass');
  });

  test('is skipped, naming the administrator permission, when the caller is a key user', async () => {
    const { result } = await rotationCheck(
      (kms) => kms.on(GetKeyRotationStatusCommand).rejects(kmsAccessDenied('kms:GetKeyRotationStatus', KEY_USER)),
      { caller: KEY_USER },
    );
    expect(result).toEqual({
      id: 'rotation',
      status: 'skipped',
      reason: 'needs kms:GetKeyRotationStatus (a key administrator)',
      details: undefined,
    });
  });

  test('is skipped without calling KMS when the key was not found', async () => {
    const { result, kms } = await rotationCheck(() => undefined, { key: { kind: 'not-found', error: new Error('x') } });
    expect(result.status).toBe('skipped');
    expect(result.reason).toContain('not found');
    expect(kms.calls()).toHaveLength(0);
  });

  test('runs against a key described as Disabled and reports what KMS says', async () => {
    const { result } = await rotationCheck(
      (kms) => kms.on(GetKeyRotationStatusCommand).resolves({ KeyId: KEY_ARN, KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
      {
        key: { kind: 'described', metadata: metadata({ KeyState: 'Disabled' }), keyArn: KEY_ARN, accountId: '111122223333' },
      },
    );
    expect(result.status).toBe('pass');
  });
});
