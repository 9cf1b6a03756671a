import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { checkSecrets } from '../../tools/preflight/check-secrets';
import { ACCOUNT, context, mockedClients, secretArn, secretsAccessDenied, secretsWorld } from './fixtures';

const DECLARED = { secrets: [{ name: 'tutorial/db-credentials' }, { name: 'tutorial/api-key' }] };
const API_KEY = secretArn('tutorial/api-key');

async function secretsCheck(setup: (mocks: ReturnType<typeof mockedClients>) => void, overrides: Record<string, unknown> = DECLARED) {
  const mocks = mockedClients();
  setup(mocks);
  return { result: await checkSecrets(mocks.clients, context(mocks, overrides)), mocks };
}

describe('secrets check: no secret the environment declares exists yet', () => {
  test('passes when DescribeSecret finds none of the declared names', async () => {
    const { result, mocks } = await secretsCheck(({ secrets }) => secretsWorld(secrets, [secretArn('tutorial/other')]));
    expect(result).toEqual({
      id: 'secrets',
      status: 'pass',
      reason: `no declared secret exists yet in us-east-1 of account ${ACCOUNT} (2 looked up); the stack creates them`,
    });
    expect(mocks.secrets.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'tutorial/db-credentials' },
      { SecretId: 'tutorial/api-key' },
    ]);
  });

  test('fails naming the secret that exists: creating it would fail with ResourceExistsException', async () => {
    const { result } = await secretsCheck(({ secrets }) => secretsWorld(secrets, [API_KEY]));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `secrets[1] "tutorial/api-key" already exists in us-east-1 of account ${ACCOUNT} (${API_KEY}): creating it would fail with ResourceExistsException`,
    );
    expect(result.details?.[0]).toBe(
      'fix: rename it; or, to use the existing secret, remove it from secrets and let the role read it through lambdaRole.secretNames or lambdaRole.secretArns',
    );
    expect(result.details).toContain('free: secrets[0] "tutorial/db-credentials"');
  });

  test('fails when the name is held by a secret scheduled for deletion', async () => {
    const { result } = await secretsCheck(({ secrets }) => secretsWorld(secrets, [], [API_KEY]));
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /^secrets\[1\] "tutorial\/api-key" is taken by a secret scheduled for deletion .*: Secrets Manager refuses to create a secret of that name until then$/,
    );
    expect(result.details?.[0]).toMatch(/--force-delete-without-recovery/);
  });

  test('is skipped, naming secretsmanager:DescribeSecret, when the caller may not look secrets up', async () => {
    const { result } = await secretsCheck(({ secrets }) =>
      secrets.on(DescribeSecretCommand).rejects(secretsAccessDenied('secretsmanager:DescribeSecret')),
    );
    expect(result).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^needs secretsmanager:DescribeSecret on the declared secrets/),
    });
  });

  test('is skipped without a request when the environment declares no secrets', async () => {
    const { result, mocks } = await secretsCheck(() => undefined, {});
    expect(result).toEqual({ id: 'secrets', status: 'skipped', reason: 'the environment declares no secrets' });
    expect(mocks.secrets.calls()).toHaveLength(0);
  });
});
