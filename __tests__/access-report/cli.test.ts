/** `npm run access-report`: options, output and exit codes (0 ok, 1 a check failed, 2 bad config or usage). */
import { parseArgs, UsageError } from '../../tools/access-report/args';
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

  it('rejects unknown arguments and missing values', () => {
    expect(() => parseArgs(['--envs', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['--env'])).toThrow('--env needs a value');
  });
});

describe('the command', () => {
  it('prints the table for the default config and exits 0', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^role lambda-secrets-role · via secretsmanager +A +\. +A /m);
    expect(out).toMatch(/Result: OK$/);
  });

  it('prints JSON with every cell and its reason', async () => {
    const { code, out } = await run(['--json']);
    const json = JSON.parse(out) as JsonReport;
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.environments[0].cells).toHaveLength(5 * 14 * 2);
    expect(json.environments[0].cells.every((c) => c.why.length > 0)).toBe(true);
  });

  it('exits 1 with --strict on the default config (the account-root statement delegates to IAM)', async () => {
    const { code, out } = await run(['--strict']);
    expect(code).toBe(1);
    expect(out).toMatch(/\[iam-delegation\] kms:Decrypt direct: unnamed role \+ IAM kms:\* may call kms:Decrypt only because the key policy delegates to IAM/);
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
