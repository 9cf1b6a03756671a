import { DescribeKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { checkImportKey } from '../../tools/preflight/check-import-key';
import { ACCOUNT, context, KEY_ADMIN, KEY_ARN, KEY_ID, keyWith, kmsAccessDenied, metadata, mockedClients } from './fixtures';

const MRK_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const importing = (extra: Record<string, unknown> = {}) => ({ key: keyWith({ importKeyId: KEY_ID, ...extra }) });

async function importCheck(setup: (mocks: ReturnType<typeof mockedClients>) => void, overrides: Record<string, unknown> = importing()) {
  const mocks = mockedClients();
  setup(mocks);
  const result = await checkImportKey(mocks.clients.kms, context(mocks, overrides));
  return { result, mocks };
}

describe('import-key check: with key.importKeyId the key exists with the config\u2019s spec, usage and multi-Region setting', () => {
  test('passes for an existing key whose settings equal the config\u2019s; asks DescribeKey for the configured id', async () => {
    const { result, mocks } = await importCheck(({ kms }) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata() }));
    expect(result).toEqual({
      id: 'import-key',
      status: 'pass',
      reason: `${KEY_ARN} exists: SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT, single-Region, Enabled, as key.keySpec, key.keyUsage and key.multiRegion say`,
    });
    expect(mocks.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: KEY_ID }]);
  });

  test('passes for a multi-Region key given as a key ARN', async () => {
    const arn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${MRK_ID}`;
    const { result, mocks } = await importCheck(
      ({ kms }) =>
        kms.on(DescribeKeyCommand).resolves({
          KeyMetadata: metadata({
            KeyId: MRK_ID,
            Arn: arn,
            MultiRegion: true,
            MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY' },
          }),
        }),
      { key: keyWith({ importKeyId: arn, multiRegion: true }) },
    );
    expect(result.status).toBe('pass');
    expect(mocks.kms.commandCalls(DescribeKeyCommand)[0].args[0].input).toEqual({ KeyId: arn });
  });

  test('fails naming key.keySpec when the key\u2019s spec differs, and lists every other field that differs', async () => {
    const { result } = await importCheck(({ kms }) =>
      kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }) }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(`key.keySpec is SYMMETRIC_DEFAULT, but key ${KEY_ID} has KeySpec RSA_2048`);
    expect(result.details).toEqual([
      "fix: set key.keySpec to RSA_2048 (a key's spec cannot change), or import another key",
      `also: key.keyUsage is ENCRYPT_DECRYPT, but key ${KEY_ID} has KeyUsage SIGN_VERIFY`,
      "fix: set key.keyUsage to SIGN_VERIFY (a key's usage cannot change), or import another key",
    ]);
  });

  test('fails naming key.multiRegion when the key is multi-Region and the config is not', async () => {
    const { result } = await importCheck(({ kms }) =>
      kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ MultiRegion: true }) }),
    );
    expect(result).toMatchObject({ status: 'fail', reason: `key.multiRegion is false, but key ${KEY_ID} has MultiRegion true` });
  });

  test('fails for an AWS managed key, a replica and a key pending deletion, naming key.importKeyId', async () => {
    const { result } = await importCheck(({ kms }) =>
      kms.on(DescribeKeyCommand).resolves({
        KeyMetadata: metadata({
          KeyManager: 'AWS',
          KeyState: 'PendingDeletion',
          DeletionDate: new Date('2026-12-28T00:00:00Z'),
          MultiRegionConfiguration: {
            MultiRegionKeyType: 'REPLICA',
            PrimaryKey: { Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${MRK_ID}`, Region: 'eu-west-1' },
          },
        }),
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(`key.importKeyId: key ${KEY_ID} is managed by AWS, not a customer managed key`);
    const text = result.details!.join('\n');
    expect(text).toContain(`also: key.importKeyId: key ${KEY_ID} is a replica key`);
    expect(text).toContain(`import the primary key arn:aws:kms:eu-west-1:${ACCOUNT}:key/${MRK_ID} in its own region`);
    expect(text).toContain('also: key.importKeyId: the key is PendingDeletion (to be deleted on 2026-12-28');
  });

  test('fails naming key.importKeyId when there is no such key, and suggests the right account and region', async () => {
    const { result } = await importCheck(({ kms }) =>
      kms
        .on(DescribeKeyCommand)
        .rejects(new NotFoundException({ message: `Key '${KEY_ARN}' does not exist`, $metadata: { httpStatusCode: 400 } })),
    );
    expect(result).toMatchObject({ status: 'fail', reason: `key.importKeyId: no key ${KEY_ID} in us-east-1 of account ${ACCOUNT}` });
    expect(result.details?.join('\n')).toMatch(/correct key.importKeyId .* or remove it to create a new key/);
  });

  test('is skipped, naming kms:DescribeKey, when the caller may not describe the key', async () => {
    const { result } = await importCheck(({ kms }) => kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', KEY_ADMIN)));
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^needs kms:DescribeKey on the key/) });
  });

  test('is skipped without a request when the stack creates a new key', async () => {
    const { result, mocks } = await importCheck(() => undefined, {});
    expect(result).toEqual({ id: 'import-key', status: 'skipped', reason: 'no key.importKeyId: the stack creates a new key' });
    expect(mocks.kms.calls()).toHaveLength(0);
  });
});
