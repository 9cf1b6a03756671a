import { DescribeSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { checkSecretArns } from '../../tools/preflight/check-secret-arns';
import { parseSecretArn } from '../../tools/preflight/secret-lookup';
import { ACCOUNT, context, mockedClients, secretArn, secretsAccessDenied, secretsWorld } from './fixtures';

const DB = secretArn('shared/db');
const API_PATTERN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shared/api-??????`;
const API = secretArn('shared/api', 'Zz9Yy8');
const WEST = secretArn('shared/west', 'Qq1Ww2', 'eu-west-1');
const PARTNER = secretArn('partner/feed', 'Pp3Oo4', 'us-east-1', '444455556666');
const reading = (...secretArns: string[]) => ({ lambdaRole: { name: 'lambda-secrets-role', secretArns } });

async function arnsCheck(setup: (mocks: ReturnType<typeof mockedClients>) => void, overrides: Record<string, unknown>) {
  const mocks = mockedClients();
  setup(mocks);
  return { result: await checkSecretArns(mocks.clients, context(mocks, overrides)), mocks };
}

describe('secret ARNs taken apart', () => {
  test('a full ARN keeps its suffix in the name; a pattern drops -??????', () => {
    expect(parseSecretArn(DB)).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: ACCOUNT,
      resource: 'shared/db-Ab12Cd',
      isPattern: false,
      name: 'shared/db-Ab12Cd',
    });
    expect(parseSecretArn(API_PATTERN)).toMatchObject({ isPattern: true, name: 'shared/api' });
    expect(parseSecretArn('arn:aws:kms:us-east-1:111122223333:key/x')).toBeUndefined();
  });
});

describe('secret-arns check: every lambdaRole.secretArns entry exists', () => {
  test('passes: a full ARN through DescribeSecret in its own region, a -?????? pattern through ListSecrets filtered by name; another account is listed', async () => {
    const { result, mocks } = await arnsCheck(
      ({ secrets }) => secretsWorld(secrets, [DB, API, WEST]),
      reading(DB, API_PATTERN, WEST, PARTNER),
    );
    expect(result).toEqual({
      id: 'secret-arns',
      status: 'pass',
      reason: 'every lambdaRole.secretArns entry of this account exists (3 looked up); 1 could not be checked from here (listed below)',
      details: [
        `exists: lambdaRole.secretArns[0] ${DB}`,
        `exists: lambdaRole.secretArns[1] ${API_PATTERN} is ${API}`,
        `exists: lambdaRole.secretArns[2] ${WEST}`,
        `not checked: lambdaRole.secretArns[3] ${PARTNER} is in account 444455556666; from account ${ACCOUNT} only that secret's resource policy could let preflight see it, so confirm it there`,
      ],
    });
    expect(mocks.secrets.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: DB }, { SecretId: WEST }]);
    expect(mocks.secrets.commandCalls(ListSecretsCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Key: 'name', Values: ['shared/api'] }], IncludePlannedDeletion: true },
    ]);
    expect(mocks.regions).toEqual(['us-east-1', 'us-east-1', 'eu-west-1']);
  });

  test('fails naming the entry when a full ARN does not exist, and explains the suffix', async () => {
    const wrongSuffix = secretArn('shared/db', 'Xx0Xx0');
    const { result } = await arnsCheck(({ secrets }) => secretsWorld(secrets, [DB]), reading(wrongSuffix));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(`lambdaRole.secretArns[0] ${wrongSuffix} does not exist in us-east-1 of account ${ACCOUNT}`);
    expect(result.details?.[0]).toBe(
      `fix: create the secret, or correct the ARN: a full ARN carries the secret's own six-character suffix; write arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:<name>-?????? to match whatever suffix it has`,
    );
  });

  test('fails for a pattern when ListSecrets finds only names that merely start the same (the filter is a prefix match)', async () => {
    const { result } = await arnsCheck(
      ({ secrets }) => secretsWorld(secrets, [secretArn('shared/api-v2'), secretArn('shared/apis')]),
      reading(API_PATTERN),
    );
    expect(result).toMatchObject({
      status: 'fail',
      reason: `lambdaRole.secretArns[0] ${API_PATTERN}: no secret named "shared/api" in us-east-1 of account ${ACCOUNT}`,
    });
  });

  test('fails when the secret is scheduled for deletion: the role could not read it', async () => {
    const { result } = await arnsCheck(({ secrets }) => secretsWorld(secrets, [], [API]), reading(API_PATTERN));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `lambdaRole.secretArns[0] ${API} is scheduled for deletion (on or after 2026-12-20T00:00:00.000Z): the role could not read it`,
    );
    expect(result.details?.[0]).toMatch(/restore-secret/);
  });

  test('is skipped, naming the denied actions, when the caller may not look secrets up', async () => {
    const { result } = await arnsCheck(
      ({ secrets }) => {
        secrets.on(DescribeSecretCommand).rejects(secretsAccessDenied('secretsmanager:DescribeSecret'));
        secrets.on(ListSecretsCommand).rejects(secretsAccessDenied('secretsmanager:ListSecrets'));
      },
      reading(DB, API_PATTERN),
    );
    expect(result).toMatchObject({ status: 'skipped', reason: 'needs secretsmanager:DescribeSecret and secretsmanager:ListSecrets' });
    expect(result.details).toEqual([
      `not checked: lambdaRole.secretArns[0] ${DB}: secretsmanager:DescribeSecret was denied`,
      `not checked: lambdaRole.secretArns[1] ${API_PATTERN}: secretsmanager:ListSecrets was denied`,
    ]);
  });

  test('is skipped without a request when the role reads no secrets by ARN', async () => {
    const { result, mocks } = await arnsCheck(() => undefined, {});
    expect(result).toEqual({
      id: 'secret-arns',
      status: 'skipped',
      reason: 'no lambdaRole.secretArns: the role reads no secrets made elsewhere by ARN',
    });
    expect(mocks.secrets.calls()).toHaveLength(0);
  });
});
