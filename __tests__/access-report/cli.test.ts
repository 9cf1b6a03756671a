/** `npm run access-report`: options, output and exit codes (0 ok, 1 a check failed, 2 bad config or usage). */
import { UsageError } from '../../app/cli';
import { parseArgs } from '../../tools/access-report/args';
import type { JsonReport } from '../../tools/access-report/format-json';
import { runAccessReport } from '../../tools/access-report/run';
import { fixture } from './helpers';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAccessReport(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('arguments', () => {
  it('parses every option, with a space or =', () => {
    expect(parseArgs(['--env', 'prod', '--json', '--plan=plans', '--strict', '--outdir', 'cdktf.out'])).toEqual({
      env: 'prod',
      json: true,
      planDir: 'plans',
      strict: true,
      outdir: 'cdktf.out',
      help: false,
    });
  });

  it('rejects unknown arguments, stray arguments and missing values, naming the allowed options', () => {
    expect(() => parseArgs(['--envs', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['--envs', 'x'])).toThrow(
      "Unknown option '--envs'; allowed: --env <value>, --json, --plan <value>, --strict, --outdir <value>, --help (-h)",
    );
    expect(() => parseArgs(['prod'])).toThrow("Unexpected argument 'prod'");
    expect(() => parseArgs(['--env'])).toThrow("Option '--env <value>' argument missing");
    // A value that looks like an option is refused rather than taken as the value.
    expect(() => parseArgs(['--env', '--json'])).toThrow(/--env.*ambiguous/);
    expect(() => parseArgs(['--json=yes'])).toThrow("Option '--json' does not take an argument");
  });
});

describe('the command', () => {
  it('prints the table for the default config and exits 0', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    // Conditional: the grant is bound to the role's secrets, and a matrix cell has no encryption context.
    expect(out).toMatch(/^role lambda-secrets-role · via secretsmanager +C +\. +C /m);
    // The cells by secret say which contexts: its own secret, not a secret of no config.
    expect(out).toMatch(/^role lambda-secrets-role · own secret tutorial\/access-report-example-AbC123 +A +A$/m);
    expect(out).toMatch(/^role lambda-secrets-role · secret of no config @=access-report-probe-AbCdEf +\. +\.$/m);
    expect(out).toMatch(/^Evaluated 144 cells in \d+ ms \(140 in the matrix, 4 by secret\)\.$/m);
    expect(out).toMatch(/Result: OK$/);
  });

  it('prints the key user’s note, not a risk, and exits 0 (access-admins-users.json)', async () => {
    const { code, out } = await run([], { KMS_CONFIG: fixture('access-admins-users.json') });
    expect(code).toBe(0);
    expect(out).toMatch(/^user alice · secret of no config @=access-report-probe-AbCdEf +A\* +A\*$/m);
    expect(out).toMatch(
      /^Notes \(2\), shown, not counted:\n {2}\[secrets-manager-use-without-secret-arn\] user alice may call kms:Decrypt via Secrets Manager/m,
    );
    expect(out).not.toMatch(/Risky cells/);
  });

  it('prints JSON with every cell and its reason', async () => {
    const { code, out } = await run(['--json']);
    const json = JSON.parse(out) as JsonReport;
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.environments[0].cells).toHaveLength(5 * 14 * 2);
    expect(json.environments[0].cells.every((c) => c.why.length > 0 && c.encryptionContext === undefined)).toBe(true);
    expect(
      json.environments[0].secretCells.map((c) => [c.principal, c.secret, c.action, c.decision, c.encryptionContext.SecretARN]),
    ).toEqual([
      [
        'role lambda-secrets-role',
        'own',
        'kms:Decrypt',
        'Allowed',
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:tutorial/access-report-example-AbC123',
      ],
      [
        'role lambda-secrets-role',
        'own',
        'kms:GenerateDataKey',
        'Allowed',
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:tutorial/access-report-example-AbC123',
      ],
      [
        'role lambda-secrets-role',
        'no-config',
        'kms:Decrypt',
        'Denied',
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf',
      ],
      [
        'role lambda-secrets-role',
        'no-config',
        'kms:GenerateDataKey',
        'Denied',
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf',
      ],
    ]);
    expect(json.environments[0]).toMatchObject({ riskySecretCells: 0, notes: [] });
  });

  it('exits 1 with --strict on the default config (the account-root statement delegates to IAM)', async () => {
    const { code, out } = await run(['--strict']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /\[iam-delegation\] kms:Decrypt direct: unnamed role \+ IAM kms:\* may call kms:Decrypt only because the key policy delegates to IAM/,
    );
  });

  it('reports one environment with --env and exits 2 for an unknown one', async () => {
    const { code, out } = await run(['--env', 'prod'], { KMS_CONFIG: fixture('access-admins-users.json') });
    expect(code).toBe(0);
    expect(out).toMatch(/^Environment prod: account 123456789012/);
    const bad = await run(['--env', 'staging'], { KMS_CONFIG: fixture('access-admins-users.json') });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--env staging: no such environment; the config has: prod/);
  });

  it('exits 2 on bad config, bad usage, or a missing synthesized stack; 0 on --help', async () => {
    expect((await run([], { KMS_CONFIG: fixture('access-does-not-exist.json') })).code).toBe(2);
    expect((await run(['--frobnicate'])).code).toBe(2);
    expect((await run(['--outdir', fixture('no-such-outdir')])).err).toMatch(/does not exist; run `npm run synth` first/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npm run access-report/);
  });
});
