/**
 * `npm ci --omit=dev && npm run synth` in a fresh copy of this checkout: synth needs only the
 * dependencies and the peer dependencies (cdktf, constructs, the provider bindings, esbuild); the
 * commands that need development dependencies say so and exit 2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { type CommandResult, copyCheckout, PROJECT_ROOT, run, runOk } from './helpers';

// npm ci from the npm cache about 20 s on two cores, synth about 2 s.
jest.setTimeout(300_000);

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let clone: string;
let synth: CommandResult;

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), 'kms-omit-dev-'));
  copyCheckout(clone);
  runOk('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], clone);
  synth = run('npm', ['run', 'synth'], clone);
});

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

test('no package is both a peer and a development dependency (npm would drop it with --omit=dev)', () => {
  expect(Object.keys(packageJson.peerDependencies).filter((name) => name in packageJson.devDependencies)).toEqual([]);
});

test('installs the dependencies and peer dependencies, and no development dependency', () => {
  const modules = join(clone, 'node_modules');
  for (const name of [...Object.keys(packageJson.dependencies), ...Object.keys(packageJson.peerDependencies)])
    expect(existsSync(join(modules, name))).toBe(true);
  expect(Object.keys(packageJson.devDependencies).filter((name) => existsSync(join(modules, name)))).toEqual([]);
});

test('npm run synth works and writes the default environment’s key', () => {
  expect({ code: synth.code, stderr: synth.stderr }).toEqual({ code: 0, stderr: '' });
  const stack = readFileSync(join(clone, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8');
  expect(stack).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
});

test.each([
  ['verify', '@aws-sdk/client-kms'],
  ['preflight', '@aws-sdk/client-sts'],
  ['access-report', '@cloud-copilot/iam-simulate'],
  ['bench', 'tinybench'],
])('npm run %s says which development dependencies it needs and exits 2', (command, missing) => {
  const result = run('npm', ['run', '--silent', command], clone);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`npm run ${command}: needs development dependencies that are not installed (`);
  expect(result.stderr).toContain(missing);
  expect(result.stderr).toContain('run `npm ci` without --omit=dev in this project');
  expect(result.stderr).not.toContain('internal error');
});

test.each(['verify', 'preflight', 'access-report', 'bench', 'cost', 'plan'])(
  'npm run %s -- --help prints the usage and exits 0 without the development dependencies',
  (command) => {
    const result = run('npm', ['run', '--silent', command, '--', '--help'], clone);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${command} `));
  },
);
