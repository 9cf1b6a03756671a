import { DescribeKeyCommand, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms';
import { checkKey } from '../../tools/verify/check-key';
import { resolveKey } from '../../tools/verify/resolve-key';
import type { VerifyContext } from '../../tools/verify/types';
import {
  ACCOUNT,
  ALIAS,
  AUDITOR,
  context,
  environment,
  KEY_ARN,
  KEY_ID,
  kmsAccessDenied,
  metadata,
  mockedClients,
  REGION,
} from './fixtures';

async function keyCheck(setup: (kms: ReturnType<typeof mockedClients>['kms']) => void, overrides: Partial<VerifyContext> = {}) {
  const { clients, kms } = mockedClients();
  setup(kms);
  const region = overrides.region ?? REGION;
  const key = await resolveKey(clients.kms, { alias: ALIAS, region, partition: 'aws', callerAccount: ACCOUNT });
  return { result: checkKey(context({ ...overrides, key })), kms };
}

describe('key check: the alias resolves to an enabled key with the configured settings', () => {
  test('passes for an Enabled symmetric single-Region key, looked up by its alias', async () => {
    const { result, kms } = await keyCheck((kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata() }));
    expect(result.status).toBe('pass');
    expect(result.reason).toContain(KEY_ARN);
    expect(kms.commandCalls(DescribeKeyCommand)[0].args[0].input).toEqual({ KeyId: ALIAS });
  });

  test('fails for a Disabled key and says a disabled key cannot decrypt either', async () => {
    const { result } = await keyCheck((kms) =>
      kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeyState: 'Disabled', Enabled: false }) }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toContain('Disabled');
    expect(result.details?.join('\n')).toMatch(/cannot be used for any cryptographic operation, decryption included/);
  });

  test('passes for a Disabled key when the config disables it on purpose', async () => {
    const env = environment({
      key: {
        alias: 'secrets-manager-encryption-key',
        description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
        isEnabled: false,
      },
    });
    const { result } = await keyCheck(
      (kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeyState: 'Disabled', Enabled: false }) }),
      { environment: env },
    );
    expect(result.status).toBe('pass');
  });

  test('fails for a key pending deletion and gives the deletion date', async () => {
    const deletion = new Date('2026-12-28T00:00:00Z');
    const { result } = await keyCheck((kms) =>
      kms
        .on(DescribeKeyCommand)
        .resolves({ KeyMetadata: metadata({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: deletion }) }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toContain('PendingDeletion (to be deleted on 2026-12-28');
    expect(result.details?.join('\n')).toMatch(/CancelKeyDeletion/);
  });

  test('fails when spec, multi-Region setting or description differ, suggesting the alias points elsewhere', async () => {
    const { result } = await keyCheck((kms) =>
      kms.on(DescribeKeyCommand).resolves({
        KeyMetadata: metadata({
          MultiRegion: true,
          KeySpec: 'RSA_2048',
          KeyUsage: 'SIGN_VERIFY',
          Description: 'someone else\u2019s key',
        }),
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.details).toEqual(
      expect.arrayContaining([
        'KeySpec is RSA_2048, the config expects SYMMETRIC_DEFAULT',
        'KeyUsage is SIGN_VERIFY, the config expects ENCRYPT_DECRYPT',
        'MultiRegion is true, the config expects false',
        expect.stringMatching(/may point at a key this app did not create/),
      ]),
    );
  });

  test('fails with "wrong region" when the alias is not found in the region given by --region', async () => {
    const { result } = await keyCheck(
      (kms) =>
        kms.on(DescribeKeyCommand).rejects(
          new NotFoundException({
            message: `Alias arn:aws:kms:eu-west-1:${ACCOUNT}:${ALIAS} is not found.`,
            $metadata: { httpStatusCode: 400 },
          }),
        ),
      { region: 'eu-west-1' },
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toContain('not found in eu-west-1');
    expect(result.details?.[0]).toMatch(/wrong region: the request went to eu-west-1, but the environment is configured for us-east-1/);
  });

  test('fails with deploy and account hints when the alias is missing in the configured region', async () => {
    const { result } = await keyCheck((kms) =>
      kms.on(DescribeKeyCommand).rejects(
        new NotFoundException({
          message: `Alias arn:aws:kms:${REGION}:${ACCOUNT}:${ALIAS} is not found.`,
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.details?.join('\n')).toMatch(/is the stack deployed in us-east-1/);
    expect(result.details?.join('\n')).toMatch(/credentials are for account 111122223333/);
  });

  test('is skipped, naming kms:DescribeKey, when DescribeKey is denied; ListAliases still finds the key ARN', async () => {
    const { result, kms } = await keyCheck((kms) => {
      kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms
        .on(ListAliasesCommand)
        .resolvesOnce({ Aliases: [{ AliasName: 'alias/other', TargetKeyId: 'ffff' }], NextMarker: 'm', Truncated: true })
        .resolvesOnce({ Aliases: [{ AliasName: ALIAS, TargetKeyId: KEY_ID }], Truncated: false });
    });
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/^needs kms:DescribeKey \(a key user or key administrator\)/);
    expect(result.reason).toContain(KEY_ARN);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(2);
  });

  test('fails when DescribeKey is denied and ListAliases shows the alias does not exist', async () => {
    const { result } = await keyCheck((kms) => {
      kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms.on(ListAliasesCommand).resolves({ Aliases: [], Truncated: false });
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toContain(`ListAliases in us-east-1 has no ${ALIAS}`);
    expect(result.details?.join('\n')).toMatch(/is the stack deployed in us-east-1/);
  });

  test('is skipped when both DescribeKey and ListAliases are denied', async () => {
    const { result } = await keyCheck((kms) => {
      kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms
        .on(ListAliasesCommand)
        .rejects(kmsAccessDenied('kms:ListAliases', AUDITOR, '*', 'because no identity-based policy allows the kms:ListAliases action'));
    });
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/kms:ListAliases was denied as well/);
  });
});
