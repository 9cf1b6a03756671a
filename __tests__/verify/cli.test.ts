import {
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
} from '@aws-sdk/client-kms';
import { SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliDependencies, runCli } from '../../tools/verify/cli';
import { renderKeyPolicy } from '../../tools/verify/expected-policy';
import {
  ACCOUNT,
  AUDITOR,
  KEY_ARN,
  KEY_USER,
  kmsAccessDenied,
  iamAccessDenied,
  LAMBDA_ROLE,
  metadata,
  mockedClients,
  rawConfig,
  stack,
} from './fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'verify-cli-test-'));
  writeFileSync(join(dir, 'one.json'), JSON.stringify(rawConfig()));
  writeFileSync(join(dir, 'pinned.json'), JSON.stringify(rawConfig({ accountId: '444455556666' })));
  const two = rawConfig() as { environments: Record<string, unknown> };
  two.environments.prod = { region: 'eu-west-1', key: { alias: 'prod-secrets' } };
  writeFileSync(join(dir, 'two.json'), JSON.stringify(two));
  writeFileSync(
    join(dir, 'bad.json'),
    JSON.stringify({ environments: { tutorial: { region: 'us-east-1', key: { alias: 'x', deletionWindowInDays: 3 } } } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI against mocked clients; `setup` programs the mocks. */
async function run(argv: string[], setup: (mocks: ReturnType<typeof mockedClients>) => void = () => undefined, configFile = 'one.json') {
  const mocks = mockedClients();
  setup(mocks);
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDependencies = {
    env: { KMS_CONFIG: configFile },
    cwd: dir,
    createClients: () => mocks.clients,
    synthesize: () => stack(),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  const code = await runCli(argv, deps);
  return { code, out, err, mocks };
}

/** A caller allowed everything: describes, reads rotation and policy, round-trips, simulates. */
function everythingWorks({ kms, iam, sts }: ReturnType<typeof mockedClients>, caller = KEY_USER) {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: caller.arn, UserId: 'AROAEXAMPLE:alice' });
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata() });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyId: KEY_ARN, KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(renderKeyPolicy(stack(), ACCOUNT, KEY_ARN)), PolicyName: 'default' });
  let plaintext: Uint8Array | undefined;
  kms.on(EncryptCommand).callsFake((input) => {
    plaintext = input.Plaintext;
    return { CiphertextBlob: new Uint8Array([9]), KeyId: KEY_ARN };
  });
  kms.on(DecryptCommand).callsFake(() => ({ Plaintext: plaintext, KeyId: KEY_ARN }));
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((a) => ({
      EvalActionName: a,
      // As deployed: through Secrets Manager, and only for the role's own secrets (tutorial/*).
      EvalDecision:
        input.ContextEntries?.some((e) => e.ContextKeyName === 'kms:ViaService') &&
        input.ContextEntries?.some(
          (e) =>
            e.ContextKeyName === 'kms:EncryptionContext:SecretARN' &&
            e.ContextKeyValues?.[0]?.startsWith(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/`),
        )
          ? 'allowed'
          : 'implicitDeny',
    })),
  }));
}

describe('npm run verify: usage and exit codes', () => {
  test('--help documents the checks and exit codes, exit 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: npm run verify -- --env <name>/);
    expect(out.join('\n')).toMatch(/Exit codes: 0 every check passed or was skipped, 1 a check failed, 2 bad usage/);
  });

  test('an unknown option is exit 2 with one line', async () => {
    const { code, err } = await run(['--bogus']);
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^verify: Unknown option '--bogus'.* \(see --help\)$/)]);
  });

  test('an unknown environment, or none chosen among several, is exit 2', async () => {
    expect((await run(['--env', 'staging'])).err).toEqual([
      'verify: --env "staging" is not in the config; environments: tutorial (see --help)',
    ]);
    const { code, err } = await run([], undefined, 'two.json');
    expect(code).toBe(2);
    expect(err[0]).toMatch(/--env is required: the config has 2 environments \(tutorial, prod\)/);
  });

  test('a bad config is exit 2 and names the field', async () => {
    const { code, err } = await run(['--env', 'tutorial'], undefined, 'bad.json');
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/deletionWindowInDays: 3 is out of range/);
  });

  test('a bad --region is exit 2', async () => {
    expect((await run(['--region', 'moon-1'])).code).toBe(2);
  });

  test('without credentials: exit 2, one line, no stack trace, no KMS call', async () => {
    const { code, err, out, mocks } = await run(['--env', 'tutorial'], ({ sts }) =>
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    );
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'verify: no usable AWS credentials: CredentialsProviderError: Could not load credentials from any providers; set AWS_PROFILE or pass --profile (a profile that exists, with a current session)',
    ]);
    expect(mocks.kms.calls()).toHaveLength(0);
  });

  test('STS unreachable: exit 2, one line about the network, no KMS call', async () => {
    const { code, err, mocks } = await run(['--env', 'tutorial'], ({ sts }) =>
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' })),
    );
    expect(code).toBe(2);
    expect(err).toEqual([
      'verify: cannot establish who is calling (sts:GetCallerIdentity in us-east-1): Error: getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com; check the network and the region',
    ]);
    expect(mocks.kms.calls()).toHaveLength(0);
  });

  test('credentials of another account than the configured accountId: exit 2', async () => {
    const { code, err } = await run(['--env', 'tutorial'], (mocks) => everythingWorks(mocks), 'pinned.json');
    expect(code).toBe(2);
    expect(err[0]).toMatch(
      /the credentials are for account 111122223333, but environment "tutorial" is configured for account 444455556666/,
    );
  });
});

describe('npm run verify: a whole run', () => {
  test('every check passes: exit 0, text report', async () => {
    const { code, out } = await run(['--env', 'tutorial'], (mocks) => everythingWorks(mocks));
    expect(out.join('\n')).not.toMatch(/FAIL|SKIP/);
    expect(out.filter((l) => /^\s+PASS/.test(l))).toHaveLength(5);
    expect(out.at(-1)).toBe('5 passed, 0 failed, 0 skipped');
    expect(code).toBe(0);
  });

  test('--json reports every check and the exit code', async () => {
    const { code, out } = await run(['--json'], (mocks) => everythingWorks(mocks));
    const report = JSON.parse(out.join('\n'));
    expect(code).toBe(0);
    expect(report).toMatchObject({ environment: 'tutorial', region: 'us-east-1', keyArn: KEY_ARN, exitCode: 0 });
    expect(report.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      'key:pass',
      'rotation:pass',
      'policy:pass',
      'round-trip:pass',
      'lambda-role:pass',
    ]);
  });

  test('a disabled key fails the key and round-trip checks: exit 1', async () => {
    const { code, out } = await run(['--json'], (mocks) => {
      everythingWorks(mocks);
      mocks.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: metadata({ KeyState: 'Disabled', Enabled: false }) });
      mocks.kms
        .on(EncryptCommand)
        .rejects(new DisabledException({ message: `${KEY_ARN} is disabled.`, $metadata: { httpStatusCode: 400 } }));
    });
    const report = JSON.parse(out.join('\n'));
    expect(code).toBe(1);
    expect(report.exitCode).toBe(1);
    expect(report.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id)).toEqual([
      'key',
      'round-trip',
    ]);
  });

  test('an auditor who may only describe the key gets skips, not failures: exit 0', async () => {
    const { code, out } = await run(['--env', 'tutorial'], (mocks) => {
      everythingWorks(mocks, AUDITOR);
      mocks.kms.on(GetKeyRotationStatusCommand).rejects(kmsAccessDenied('kms:GetKeyRotationStatus', AUDITOR));
      mocks.kms.on(GetKeyPolicyCommand).rejects(kmsAccessDenied('kms:GetKeyPolicy', AUDITOR));
      mocks.kms.on(EncryptCommand).rejects(kmsAccessDenied('kms:Encrypt', AUDITOR));
      mocks.iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('iam:SimulatePrincipalPolicy', AUDITOR, LAMBDA_ROLE));
    });
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/SKIP {2}rotation {5}skipped: needs kms:GetKeyRotationStatus \(a key administrator\)/);
    expect(text).toMatch(/SKIP {2}policy {7}skipped: needs kms:GetKeyPolicy \(a key administrator\)/);
    expect(text).toMatch(/SKIP {2}round-trip {3}skipped: needs kms:Encrypt and kms:Decrypt/);
    expect(text).toMatch(/SKIP {2}lambda-role {2}skipped: needs iam:SimulatePrincipalPolicy/);
    expect(out.at(-1)).toBe('1 passed, 0 failed, 4 skipped');
  });
});

describe('without the development dependencies', () => {
  test('the AWS commands say to install them instead of failing to load the SDK', () => {
    const { AWS_SDK_CLIENTS, BENCH_PACKAGES, IAM_SIMULATOR_PACKAGES, requireInstalled } =
      jest.requireActual<typeof import('../../tools/lib/dev-dependencies')>('../../tools/lib/dev-dependencies');
    const absent = (name: string): string => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => requireInstalled(['@aws-sdk/client-kms', '@aws-sdk/client-sts'], absent)).toThrow(
      'needs development dependencies that are not installed (@aws-sdk/client-kms, @aws-sdk/client-sts): run `npm ci` without --omit=dev in this project',
    );
    expect(() => requireInstalled(AWS_SDK_CLIENTS)).not.toThrow();
    expect(() => requireInstalled(IAM_SIMULATOR_PACKAGES)).not.toThrow();
    expect(() => requireInstalled(BENCH_PACKAGES)).not.toThrow();
  });
});
