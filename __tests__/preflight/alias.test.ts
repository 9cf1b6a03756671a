import { DescribeKeyCommand, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms';
import { checkAlias } from '../../tools/preflight/check-alias';
import { ACCOUNT, ALIAS, AUDITOR, context, KEY_ID, keyWith, kmsAccessDenied, metadata, mockedClients } from './fixtures';

const OTHER_KEY = '0987dcba-09ab-76cd-54ef-0987654321ba';
const notFound = () =>
  new NotFoundException({ message: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:${ALIAS} is not found.`, $metadata: { httpStatusCode: 400 } });

async function aliasCheck(setup: (kms: ReturnType<typeof mockedClients>['kms']) => void, overrides: Record<string, unknown> = {}) {
  const mocks = mockedClients();
  setup(mocks.kms);
  return { result: await checkAlias(mocks.clients.kms, context(mocks, overrides, AUDITOR)), kms: mocks.kms };
}

describe('alias check: the alias is free, or already points at the key being imported', () => {
  test('passes when the alias does not exist yet (DescribeKey on the alias: NotFoundException)', async () => {
    const { result, kms } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).rejects(notFound()));
    expect(result).toEqual({
      id: 'alias',
      status: 'pass',
      reason: `${ALIAS} is free in us-east-1 of account ${ACCOUNT}; the stack creates it`,
    });
    expect(kms.commandCalls(DescribeKeyCommand)[0].args[0].input).toEqual({ KeyId: ALIAS });
  });

  test('passes when the alias points at the imported key and key.importAlias is on', async () => {
    const { result } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata() }), {
      key: keyWith({ importKeyId: KEY_ID }),
    });
    expect(result).toMatchObject({
      status: 'pass',
      reason: `${ALIAS} exists and points at the imported key ${KEY_ID}; the stack imports it`,
    });
  });

  test('fails when the alias is taken by another key, naming key.alias and importing that key as the fixes', async () => {
    const { result } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeyId: OTHER_KEY }) }));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `${ALIAS} already exists in us-east-1 of account ${ACCOUNT} and points at key ${OTHER_KEY}: creating it would fail with AlreadyExistsException`,
    );
    expect(result.details).toEqual(
      expect.arrayContaining([
        'choose another key.alias (aliases are unique per account and region)',
        expect.stringContaining(`set key.importKeyId to ${OTHER_KEY}`),
      ]),
    );
  });

  test('fails when an imported key\u2019s alias points at another key', async () => {
    const { result } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeyId: OTHER_KEY }) }), {
      key: keyWith({ importKeyId: KEY_ID }),
    });
    expect(result).toMatchObject({
      status: 'fail',
      reason: `${ALIAS} already exists in us-east-1 of account ${ACCOUNT} and points at key ${OTHER_KEY}, not at the imported key ${KEY_ID}`,
    });
  });

  test('fails when key.importAlias is on but the alias does not exist', async () => {
    const { result } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).rejects(notFound()), { key: keyWith({ importKeyId: KEY_ID }) });
    expect(result).toMatchObject({
      status: 'fail',
      reason: `key.importAlias is true, but ${ALIAS} does not exist in us-east-1 of account ${ACCOUNT}: Terraform cannot import it`,
    });
    expect(result.details).toContain('or set key.importAlias to false so that the stack creates the alias for the imported key');
  });

  test('fails when key.importAlias is off but the alias already points at the imported key', async () => {
    const { result } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata() }), {
      key: keyWith({ importKeyId: KEY_ID, importAlias: false }),
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/but key.importAlias is false: creating the alias would fail with AlreadyExistsException$/);
  });

  test('finds the alias\u2019s target with ListAliases when DescribeKey is denied', async () => {
    const { result, kms } = await aliasCheck((kms) => {
      kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: ALIAS, TargetKeyId: OTHER_KEY }], Truncated: false });
    });
    expect(result).toMatchObject({ status: 'fail', reason: expect.stringContaining(`points at key ${OTHER_KEY}`) });
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(1);
  });

  test('is skipped, naming kms:ListAliases, when neither DescribeKey nor ListAliases is allowed', async () => {
    const { result } = await aliasCheck((kms) => {
      kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms.on(ListAliasesCommand).rejects(kmsAccessDenied('kms:ListAliases', AUDITOR, '*'));
    });
    expect(result).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^needs kms:ListAliases \(or kms:DescribeKey on the key the alias points at\)/),
    });
  });
});

describe('alias check: additional aliases must be free (the stack always creates them)', () => {
  const extra = { key: keyWith({ additionalAliases: ['legacy'] }) };

  test('passes when the alias and every additional alias are free', async () => {
    const { result, kms } = await aliasCheck((kms) => kms.on(DescribeKeyCommand).rejects(notFound()), extra);
    expect(result).toMatchObject({
      status: 'pass',
      reason: `${ALIAS} is free in us-east-1 of account ${ACCOUNT}; the stack creates it; the additional aliases alias/legacy are free`,
    });
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual([ALIAS, 'alias/legacy']);
  });

  test('fails naming an additional alias that already exists', async () => {
    const { result } = await aliasCheck((kms) => {
      kms.on(DescribeKeyCommand, { KeyId: ALIAS }).rejects(notFound());
      kms.on(DescribeKeyCommand, { KeyId: 'alias/legacy' }).resolves({ KeyMetadata: metadata({ KeyId: OTHER_KEY }) });
    }, extra);
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /^key\.additionalAliases alias\/legacy \(points at arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]+\) already exist in us-east-1 of account \d{12}: creating them would fail with AlreadyExistsException$/,
    );
  });

  test('is skipped when the lookup of an additional alias is denied', async () => {
    const { result } = await aliasCheck((kms) => {
      kms.on(DescribeKeyCommand, { KeyId: ALIAS }).rejects(notFound());
      kms.on(DescribeKeyCommand, { KeyId: 'alias/legacy' }).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      kms.on(ListAliasesCommand).rejects(kmsAccessDenied('kms:ListAliases', AUDITOR));
    }, extra);
    expect(result.status).toBe('skipped');
  });
});
