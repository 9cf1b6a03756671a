import { DescribeKeyCommand, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms';
import { checkAlias } from '../../tools/preflight/check-alias';
import { ACCOUNT, ALIAS, AUDITOR, context, KEY_ID, keyWith, kmsAccessDenied, metadata, mockedClients } from './fixtures';

const OTHER_KEY = '0987dcba-09ab-76cd-54ef-0987654321ba';
const notFound = () =>
  new NotFoundException({ message: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:${ALIAS} is not found.`, $metadata: { httpStatusCode: 400 } });

async function aliasCheck(setup: (kms: ReturnType<typeof mockedClients>['kms']) => void, overrides: Record<string, unknown> = {}) {
  const mocks = mockedClients();
  setup(mocks.kms);
  return { result: await checkAlias(mocks.clients, context(mocks, overrides, AUDITOR)), kms: mocks.kms };
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

describe('alias check: the replicas’ aliases and the alert keys’ aliases, each in its own region', () => {
  const ALERT_ALIAS = 'alias/tutorial-kms-key-alerts';
  const replicated = {
    key: keyWith({ multiRegion: true, replicaRegions: ['eu-west-1'], additionalAliases: ['legacy'] }),
    audit: { emails: ['ops@example.com'] },
  };
  const keyIds = (stub: ReturnType<typeof mockedClients>['kms']) => stub.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId);

  test('looks each alias up in its own region and passes when all are free', async () => {
    const mocks = mockedClients();
    mocks.kms.on(DescribeKeyCommand).rejects(notFound());
    mocks.kmsIn('eu-west-1').on(DescribeKeyCommand).rejects(notFound());
    const result = await checkAlias(mocks.clients, context(mocks, replicated, AUDITOR));
    expect(result).toEqual({
      id: 'alias',
      status: 'pass',
      reason:
        `${ALIAS} is free in us-east-1 of account ${ACCOUNT}; the stack creates it; the other aliases it creates are free: ` +
        `alias/legacy, ${ALERT_ALIAS} in us-east-1; ${ALIAS}, alias/legacy, ${ALERT_ALIAS} in eu-west-1`,
    });
    expect(keyIds(mocks.kms)).toEqual([ALIAS, 'alias/legacy', ALERT_ALIAS]);
    expect(keyIds(mocks.kmsIn('eu-west-1'))).toEqual([ALIAS, 'alias/legacy', ALERT_ALIAS]);
  });

  test('fails naming the region and what creates each alias that is taken there', async () => {
    const mocks = mockedClients();
    mocks.kms.on(DescribeKeyCommand).rejects(notFound());
    const replicaRegion = mocks.kmsIn('eu-west-1');
    replicaRegion.on(DescribeKeyCommand).rejects(notFound());
    replicaRegion
      .on(DescribeKeyCommand, { KeyId: ALIAS })
      .resolves({ KeyMetadata: metadata({ KeyId: OTHER_KEY, Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${OTHER_KEY}` }) });
    const result = await checkAlias(mocks.clients, context(mocks, replicated, AUDITOR));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `aliases the stack creates already exist in account ${ACCOUNT}: ${ALIAS} in eu-west-1 (key.alias on the replica; points at arn:aws:kms:eu-west-1:${ACCOUNT}:key/${OTHER_KEY}); creating them would fail with AlreadyExistsException`,
    );
    expect(result.details?.[0]).toMatch(/created in every replica region too/);
  });

  test('an alert key’s alias taken in the primary region fails the check', async () => {
    const mocks = mockedClients();
    mocks.kms.on(DescribeKeyCommand).rejects(notFound());
    mocks.kms.on(DescribeKeyCommand, { KeyId: ALERT_ALIAS }).resolves({ KeyMetadata: metadata({ KeyId: OTHER_KEY }) });
    const result = await checkAlias(mocks.clients, context(mocks, { audit: { emails: ['ops@example.com'] } }, AUDITOR));
    expect(result).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining(`${ALERT_ALIAS} in us-east-1 (the alert key's alias (audit);`),
    });
  });

  test('alerts sent to an existing topic make no alert key, so no alert alias is looked up', async () => {
    const mocks = mockedClients();
    mocks.kms.on(DescribeKeyCommand).rejects(notFound());
    const audit = { snsTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts` };
    const result = await checkAlias(mocks.clients, context(mocks, { audit }, AUDITOR));
    expect(result).toMatchObject({ status: 'pass', reason: `${ALIAS} is free in us-east-1 of account ${ACCOUNT}; the stack creates it` });
    expect(keyIds(mocks.kms)).toEqual([ALIAS]);
  });

  test('a denied lookup in a replica region skips the check, naming the region', async () => {
    const mocks = mockedClients();
    mocks.kms.on(DescribeKeyCommand).rejects(notFound());
    const replicaRegion = mocks.kmsIn('eu-west-1');
    replicaRegion.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
    replicaRegion.on(ListAliasesCommand).rejects(kmsAccessDenied('kms:ListAliases', AUDITOR));
    const result = await checkAlias(mocks.clients, context(mocks, replicated, AUDITOR));
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^needs kms:ListAliases .* in eu-west-1; /) });
  });
});
