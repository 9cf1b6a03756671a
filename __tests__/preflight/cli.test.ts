import { DescribeKeyCommand, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms';
import { GetRoleCommand, GetUserCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliDependencies, runCli } from '../../tools/preflight/cli';
import {
  ACCOUNT,
  ADMIN_ROLE,
  AUDITOR,
  environmentAndStack,
  iamAccessDenied,
  iamWorld,
  KEY_ADMIN,
  kmsAccessDenied,
  LAMBDA_ROLE,
  type Mocks,
  mockedClients,
  rawConfig,
  secretArn,
  secretsAccessDenied,
  secretsWorld,
} from './fixtures';

/** The environment of every whole run: declared secrets and a role that also reads a secret made elsewhere. */
const OVERRIDES = {
  secrets: [{ name: 'tutorial/db-credentials' }],
  lambdaRole: { name: 'lambda-secrets-role', secretArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shared/api-??????`] },
};
const SHARED_API = secretArn('shared/api');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-cli-test-'));
  writeFileSync(join(dir, 'one.json'), JSON.stringify(rawConfig(OVERRIDES)));
  writeFileSync(join(dir, 'pinned.json'), JSON.stringify(rawConfig({ ...OVERRIDES, accountId: '444455556666' })));
  const two = rawConfig(OVERRIDES) as { environments: Record<string, unknown> };
  two.environments.prod = { region: 'eu-west-1', key: { alias: 'prod-secrets' } };
  writeFileSync(join(dir, 'two.json'), JSON.stringify(two));
  writeFileSync(
    join(dir, 'bad.json'),
    JSON.stringify({ environments: { tutorial: { region: 'us-east-1', key: { alias: 'x', importKeyId: 'alias/x' } } } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI against mocked clients; `setup` programs the mocks. */
async function run(argv: string[], setup: (mocks: Mocks) => void = () => undefined, configFile = 'one.json') {
  const mocks = mockedClients();
  setup(mocks);
  const out: string[] = [];
  const err: string[] = [];
  const settings: unknown[] = [];
  const deps: CliDependencies = {
    env: { KMS_CONFIG: configFile },
    cwd: dir,
    createClients: (given) => {
      settings.push(given);
      return mocks.clients;
    },
    synthesize: () => environmentAndStack(OVERRIDES).stack,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  const code = await runCli(argv, deps);
  return { code, out, err, mocks, settings };
}

/** An account ready for a first deploy, and a caller (a key administrator) allowed to look at all of it. */
function readyToDeploy(mocks: Mocks, caller = KEY_ADMIN) {
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: caller.arn, UserId: 'AROAEXAMPLE:bob' });
  mocks.kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Alias is not found.', $metadata: { httpStatusCode: 400 } }));
  iamWorld(mocks.iam);
  secretsWorld(mocks.secrets, [SHARED_API]);
  mocks.iam
    .on(SimulatePrincipalPolicyCommand)
    .resolves({ EvaluationResults: [{ EvalActionName: 'kms:PutKeyPolicy', EvalResourceName: '*', EvalDecision: 'allowed' }] });
}

const statuses = (report: { checks: { id: string; status: string }[] }) => report.checks.map((c) => `${c.id}:${c.status}`);

describe('npm run preflight: usage and exit codes', () => {
  test('--help documents the checks and exit codes, exit 0, without reading the config or calling AWS', async () => {
    const { code, out, mocks, settings } = await run(['--help', '--bogus'], undefined, 'bad.json');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Usage: npm run preflight -- --env <name>/);
    for (const id of ['import-key', 'alias', 'principals', 'lambda-role', 'secret-arns', 'secrets', 'lockout'])
      expect(text).toContain(`  ${id} `);
    expect(text).toMatch(/Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 bad usage/);
    expect(settings).toEqual([]);
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  test('an unknown option is exit 2 with one line', async () => {
    const { code, err } = await run(['--bogus']);
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^preflight: Unknown option '--bogus'.* \(see --help\)$/)]);
  });

  test('an unknown environment, or none chosen among several, is exit 2', async () => {
    expect((await run(['--env', 'staging'])).err).toEqual([
      'preflight: --env "staging" is not in the config; environments: tutorial (see --help)',
    ]);
    const { code, err } = await run([], undefined, 'two.json');
    expect(code).toBe(2);
    expect(err[0]).toMatch(/--env is required: the config has 2 environments \(tutorial, prod\)/);
  });

  test('a bad config is exit 2 and names the field', async () => {
    const { code, err } = await run(['--env', 'tutorial'], undefined, 'bad.json');
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/environments\.tutorial\.key\.importKeyId: "alias\/x" is not a KMS key id or key ARN/);
  });

  test('a bad --region or --profile is exit 2', async () => {
    expect((await run(['--region', 'moon-1'])).code).toBe(2);
    expect((await run(['--profile', 'has space'])).code).toBe(2);
  });

  test('--region and --profile reach the clients', async () => {
    const { settings } = await run(['--region', 'eu-west-1', '--profile', 'deploy'], (mocks) => readyToDeploy(mocks));
    expect(settings).toEqual([{ region: 'eu-west-1', profile: 'deploy' }]);
  });

  test('--json on a usage error prints the error as JSON too', async () => {
    const { code, out } = await run(['--json', '--env', 'staging']);
    expect(code).toBe(2);
    expect(JSON.parse(out.join('\n'))).toEqual({
      error: '--env "staging" is not in the config; environments: tutorial (see --help)',
      exitCode: 2,
    });
  });
});

describe('npm run preflight: credentials', () => {
  test('without credentials: exit 2, one line, no stack trace, no other AWS call', async () => {
    const { code, err, out, mocks } = await run(['--env', 'tutorial'], ({ sts }) =>
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    );
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'preflight: no usable AWS credentials: CredentialsProviderError: Could not load credentials from any providers; set AWS_PROFILE or pass --profile (a profile that exists, with a current session)',
    ]);
    expect([...mocks.kms.calls(), ...mocks.iam.calls(), ...mocks.secrets.calls()]).toHaveLength(0);
  });

  test('an expired session: exit 2, and --json says so in JSON', async () => {
    const { code, out } = await run(['--json'], ({ sts }) =>
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' })),
    );
    expect(code).toBe(2);
    expect(JSON.parse(out.join('\n'))).toEqual({
      error: expect.stringMatching(/^no usable AWS credentials: ExpiredToken: The security token included in the request is expired;/),
      exitCode: 2,
    });
  });

  test('STS unreachable: exit 2, one line about the network, no other AWS call', async () => {
    const { code, err, mocks } = await run(['--env', 'tutorial'], ({ sts }) =>
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' })),
    );
    expect(code).toBe(2);
    expect(err).toEqual([
      'preflight: cannot establish who is calling (sts:GetCallerIdentity in us-east-1): Error: getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com; check the network and the region',
    ]);
    expect(mocks.kms.calls()).toHaveLength(0);
  });

  test('credentials of another account than the configured accountId: exit 2', async () => {
    const { code, err } = await run(['--env', 'tutorial'], (mocks) => readyToDeploy(mocks), 'pinned.json');
    expect(code).toBe(2);
    expect(err[0]).toMatch(
      /the credentials are for account 111122223333, but environment "tutorial" is configured for account 444455556666/,
    );
  });
});

describe('npm run preflight: a whole run', () => {
  test('an account ready for a first deploy: every check passes or does not apply, exit 0, text report', async () => {
    const { code, out } = await run(['--env', 'tutorial'], (mocks) => readyToDeploy(mocks));
    expect(out[0]).toBe(`preflight tutorial in us-east-1 as ${KEY_ADMIN.arn}`);
    expect(out.filter((l) => /^\s+(PASS|FAIL|SKIP)/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'SKIP import-key',
      'PASS alias',
      'PASS principals',
      'PASS lambda-role',
      'PASS secret-arns',
      'PASS secrets',
      'PASS lockout',
    ]);
    expect(out.at(-1)).toBe('6 passed, 0 failed, 1 skipped');
    expect(code).toBe(0);
  });

  test('--json reports every check, the account and the exit code', async () => {
    const { code, out } = await run(['--json'], (mocks) => readyToDeploy(mocks));
    const report = JSON.parse(out.join('\n'));
    expect(code).toBe(0);
    expect(report).toMatchObject({
      environment: 'tutorial',
      region: 'us-east-1',
      accountId: ACCOUNT,
      caller: { arn: KEY_ADMIN.arn, accountId: ACCOUNT },
      exitCode: 0,
    });
    expect(report).not.toHaveProperty('keyArn');
    expect(statuses(report)).toEqual([
      'import-key:skipped',
      'alias:pass',
      'principals:pass',
      'lambda-role:pass',
      'secret-arns:pass',
      'secrets:pass',
      'lockout:pass',
    ]);
  });

  test('a role and a secret that already exist fail their checks: exit 1', async () => {
    const { code, out } = await run(['--json'], (mocks) => {
      readyToDeploy(mocks);
      iamWorld(mocks.iam, [ADMIN_ROLE, `arn:aws:iam::${ACCOUNT}:role/KeyUser`, LAMBDA_ROLE]);
      secretsWorld(mocks.secrets, [SHARED_API, secretArn('tutorial/db-credentials')]);
    });
    const report = JSON.parse(out.join('\n'));
    expect(code).toBe(1);
    expect(report.exitCode).toBe(1);
    expect(report.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id)).toEqual([
      'lambda-role',
      'secrets',
    ]);
  });

  test('a caller who may read nothing but its own identity gets skips, not failures: exit 0', async () => {
    const { code, out } = await run(['--env', 'tutorial'], (mocks) => {
      mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: AUDITOR.arn, UserId: 'AROAEXAMPLE:carol' });
      mocks.kms.on(DescribeKeyCommand).rejects(kmsAccessDenied('kms:DescribeKey', AUDITOR));
      mocks.kms.on(ListAliasesCommand).rejects(kmsAccessDenied('kms:ListAliases', AUDITOR, '*'));
      mocks.iam.on(GetRoleCommand).rejects(iamAccessDenied('iam:GetRole', AUDITOR, ADMIN_ROLE));
      mocks.iam.on(GetUserCommand).rejects(iamAccessDenied('iam:GetUser', AUDITOR, ADMIN_ROLE));
      mocks.secrets.on(DescribeSecretCommand).rejects(secretsAccessDenied('secretsmanager:DescribeSecret', AUDITOR));
      mocks.secrets.on(ListSecretsCommand).rejects(secretsAccessDenied('secretsmanager:ListSecrets', AUDITOR));
    });
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/SKIP {2}alias {8}skipped: needs kms:ListAliases/);
    expect(text).toMatch(/SKIP {2}principals {3}skipped: needs iam:GetRole/);
    expect(text).toMatch(/SKIP {2}lambda-role {2}skipped: needs iam:GetRole/);
    expect(text).toMatch(/SKIP {2}secret-arns {2}skipped: needs secretsmanager:ListSecrets/);
    expect(text).toMatch(/SKIP {2}secrets {6}skipped: needs secretsmanager:DescribeSecret/);
    expect(text).toMatch(/SKIP {2}lockout {6}skipped: needs iam:GetRole on role Auditor/);
    expect(out.at(-1)).toBe('0 passed, 0 failed, 7 skipped');
  });
});
