/**
 * `npm run synth` on hostile input: refused with exit 2 and nothing written, or synthesized
 * correctly; never a crash (docs/safety.md).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFailure, UsageError } from '../../app/cli';
import { runSynth } from '../../app/synth';
import { ConfigError } from '../../config';

let project: string;
let out: string[];
let err: string[];

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'kms-input-'));
  writeFileSync(join(project, 'cdktf.json'), '{}');
  out = [];
  err = [];
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

function synth(environments: Record<string, unknown> | undefined, args: string[] = [], env: Record<string, string> = {}): Promise<number> {
  if (environments) writeFileSync(join(project, 'kms.json'), JSON.stringify({ environments }));
  return runSynth(args, {
    cwd: project,
    env: { ...(environments ? { KMS_CONFIG: 'kms.json' } : {}), ...env },
    log: (line) => out.push(line),
    error: (line) => err.push(line),
  });
}

const stackJson = (name: string) => JSON.parse(readFileSync(join(project, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8'));

describe('refused at synth, nothing written', () => {
  test('a key policy over 32,768 bytes names the environment’s key', async () => {
    const administrators = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111122223333:role/${'p'.repeat(500)}/admin${i}`);
    expect(await synth({ prod: { region: 'eu-west-1', accountId: '111122223333', key: { alias: 'big', administrators } } })).toBe(2);
    expect(err[0]).toMatch(
      /^config: 1 problem:\n {2}- environments\.prod\.key: the key policy would be \d+ bytes; KMS allows at most 32768; name fewer or shorter principals in administrators and users$/,
    );
    expect(err[1]).toBe('Nothing was synthesized; the output folder is unchanged.');
    expect(readdirSync(join(project, 'cdktf.out'))).toEqual([]);
  });

  test('without an accountId the policy is measured with a 12-digit account', async () => {
    const administrators = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111122223333:role/${'p'.repeat(500)}/admin${i}`);
    expect(await synth({ prod: { region: 'eu-west-1', key: { alias: 'big', administrators } } })).toBe(2);
    expect(err[0]).toContain('environments.prod.key: the key policy would be');
  });

  test('an output folder that is a file', async () => {
    writeFileSync(join(project, 'cdktf.out'), 'not a folder');
    expect(await synth(undefined)).toBe(2);
    expect(err[0]).toBe(
      `npm run synth: the output folder ${join(project, 'cdktf.out')} is a file; remove it or set CDKTF_OUTDIR to a folder`,
    );
    expect(readFileSync(join(project, 'cdktf.out'), 'utf8')).toBe('not a folder');
  });

  test('an output folder below a file', async () => {
    writeFileSync(join(project, 'afile'), 'x');
    expect(await synth(undefined, [], { CDKTF_OUTDIR: 'afile/out' })).toBe(2);
    expect(err[0]).toBe(
      `npm run synth: cannot create the output folder ${join(project, 'afile', 'out')}: it or a folder above it is a file`,
    );
  });
});

describe('valid but unusual input synthesizes correctly', () => {
  test('environment names that are Object.prototype members (constructor, toString, hasOwnProperty)', async () => {
    const names = ['constructor', 'toString', 'hasOwnProperty'];
    const environments = Object.fromEntries(names.map((name, i) => [name, { region: 'eu-west-1', key: { alias: `a${i}` } }]));
    expect(await synth(environments)).toBe(0);
    expect(readdirSync(join(project, 'cdktf.out', 'stacks')).sort()).toEqual([...names].sort());
    const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual([...names].sort());
    expect(stackJson('constructor').resource.aws_kms_alias.key.name).toBe('alias/a0');
  });

  test('a __proto__ tag reaches default_tags (as a Terraform map expression, which cdktf cannot drop)', async () => {
    writeFileSync(
      join(project, 'kms.json'),
      '{"environments":{"prod":{"region":"eu-west-1","key":{"alias":"a"},"tags":{"__proto__":"p","Team":"t"}}}}',
    );
    expect(await runSynth([], { cwd: project, env: { KMS_CONFIG: 'kms.json' }, log: () => undefined, error: (l) => err.push(l) })).toBe(0);
    expect(stackJson('prod').provider.aws[0].default_tags).toEqual([{ tags: '${tomap({"__proto__" = "p", "Team" = "t"})}' }]);
  });

  test('a role path with ~ and other printable ASCII: the ARN in the key policy is built from it', async () => {
    const role = { name: 'reader', path: '/team~payments/a!b$c/' };
    expect(await synth({ prod: { region: 'eu-west-1', accountId: '111122223333', key: { alias: 'a' }, lambdaRole: role } })).toBe(0);
    const grant = stackJson('prod').data.aws_iam_policy_document.key_policy.statement.find(
      (s: { sid: string }) => s.sid === 'GrantReaderViaSecretsmanager',
    );
    expect(grant.principals).toEqual([{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/team~payments/a!b$c/reader'] }]);
  });

  test('ordinary tags stay a plain map', async () => {
    expect(await synth({ prod: { region: 'eu-west-1', key: { alias: 'a' }, tags: { Team: 't' } } })).toBe(0);
    expect(stackJson('prod').provider.aws[0].default_tags).toEqual([{ tags: { Team: 't' } }]);
  });
});

describe('every command answers --help without doing its work', () => {
  test('npm run synth -- --help prints the usage, exits 0 and writes nothing', async () => {
    expect(await synth(undefined, ['--help'])).toBe(0);
    expect(out[0]).toMatch(/^Usage: npm run synth/);
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });

  test('an unknown argument exits 2 and writes nothing', async () => {
    expect(await synth(undefined, ['--hlep'])).toBe(2);
    expect(err[0]).toBe("npm run synth: Unknown option '--hlep'; allowed: --hcl, --help (-h) (see --help)");
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });
});

describe('one error and exit helper', () => {
  const capture = (error: unknown, env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const code = reportFailure(error, { error: (line) => lines.push(line), env }, 'npm run x');
    return { code, lines };
  };

  test('bad config and bad usage: the message, exit 2', () => {
    expect(capture(new ConfigError('kms.json', ['environments: must name at least one environment']))).toEqual({
      code: 2,
      lines: ['kms.json: 1 problem:\n  - environments: must name at least one environment'],
    });
    expect(capture(new UsageError('name the environment'))).toEqual({ code: 2, lines: ['npm run x: name the environment (see --help)'] });
  });

  test('an unexpected error: one line starting "internal error:", exit 1; the stack only with DEBUG=1', () => {
    const error = new TypeError('cannot read properties of undefined\n    at somewhere');
    expect(capture(error)).toEqual({ code: 1, lines: ['internal error: cannot read properties of undefined'] });
    const debug = capture(error, { DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.lines).toHaveLength(2);
    expect(debug.lines[1]).toContain('TypeError: cannot read properties of undefined');
    expect(capture('a string')).toEqual({ code: 1, lines: ['internal error: a string'] });
  });
});
