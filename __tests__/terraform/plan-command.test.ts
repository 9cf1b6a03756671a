/**
 * `npm run plan -- <environment>` with a stand-in Terraform CLI that records its arguments: usage
 * and config errors exit 2 without running Terraform; the command synthesizes, holds the output
 * lock, runs init, plan and show in order with TF_DATA_DIR, writes
 * cdktf.out/plans/<environment>.plan.json and turns Terraform's failures into advice. A full run
 * with the real Terraform CLI is in plan-command.slow.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { physicalPath } from '../../app/project';
import { runSynth } from '../../app/synth';
import { runPlanCommand } from '../../tools/terraform/user-plan';
import { capture } from './plan-command-context';

/**
 * A stand-in Terraform CLI: a Node script run for each command. It records each call's arguments and
 * TF_DATA_DIR, prints an empty plan for `show`, and runs `onPlan` (JavaScript) for `plan`.
 */
function fakeTerraform(dir: string, onPlan = ''): string {
  const file = join(dir, 'fake-terraform');
  writeFileSync(
    file,
    [
      `#!${process.execPath}`,
      "const fs = require('fs');",
      `fs.appendFileSync(${JSON.stringify(join(dir, 'calls.log'))}, JSON.stringify({ args: process.argv.slice(2), dataDir: process.env.TF_DATA_DIR ?? null }) + '\\n');`,
      "if (process.argv[2] === 'show') process.stdout.write(JSON.stringify({ planned_values: {} }));",
      `if (process.argv[2] === 'plan') { ${onPlan} }`,
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

const calls = (dir: string): { args: string[]; dataDir: string | null }[] =>
  readFileSync(join(dir, 'calls.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('npm run plan: usage', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'plan-usage-'));
    writeFileSync(join(cwd, 'cdktf.json'), '{}');
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  test('--help prints the usage and exits 0', async () => {
    const context = capture(cwd, {});
    expect(await runPlanCommand(['--help'], context)).toBe(0);
    expect(context.out.join('\n')).toMatch(/Usage: npm run plan -- <environment>/);
    expect(context.out.join('\n')).toMatch(/cdktf\.out\/plans\/<environment>\.plan\.json/);
  });

  test.each([
    [[], /name the environment to plan/],
    [['dev', 'prod'], /plan one environment at a time, got dev, prod/],
    [
      ['tutorial', '--destroy'],
      /^npm run plan: Unknown option '--destroy'; allowed: --no-synth, --keep-terraform-dir, --help \(-h\) \(see --help\)$/,
    ],
    [['tutorial', '--no-synth=yes'], /Option '--no-synth' does not take an argument/],
  ])('%j exits 2: %s', async (args, message) => {
    const context = capture(cwd, {});
    expect(await runPlanCommand(args, context)).toBe(2);
    expect(context.err.join('\n')).toMatch(message);
  });

  test('an environment not in the config exits 2, lists the configured ones and writes nothing', async () => {
    const context = capture(cwd, {});
    expect(await runPlanCommand(['prod'], context)).toBe(2);
    expect(context.err.join('\n')).toMatch(/no environment "prod" in the config; environments: tutorial/);
    expect(existsSync(join(cwd, 'cdktf.out'))).toBe(false);
  });

  test('synthesizes as npm run synth does, and holds the output lock until Terraform ends', async () => {
    mkdirSync(join(cwd, 'cdktf.out', 'stacks', 'retired'), { recursive: true });
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'retired', 'cdk.tf.json'), '{}');
    // A stand-in Terraform: init waits until the test says go; show prints an empty plan.
    const fake = join(cwd, 'fake-terraform');
    writeFileSync(
      fake,
      [
        `#!${process.execPath}`,
        "const fs = require('fs');",
        `const dir = ${JSON.stringify(cwd)};`,
        "if (process.argv[2] === 'init') { fs.writeFileSync(dir + '/init-started', ''); const wait = () => fs.existsSync(dir + '/go') ? process.exit(0) : setTimeout(wait, 20); wait(); }",
        "else if (process.argv[2] === 'show') process.stdout.write(JSON.stringify({ planned_values: {} }));",
      ].join('\n'),
      { mode: 0o755 },
    );
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: fake });
    const planning = runPlanCommand(['tutorial'], context);
    while (!existsSync(join(cwd, 'init-started'))) await new Promise((done) => setTimeout(done, 20));
    expect(existsSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(cwd, 'cdktf.out', 'stacks', 'retired'))).toBe(false);

    const synthErrors: string[] = [];
    const code = await runSynth([], {
      cwd,
      env: { KMS_LOCK_WAIT_SECONDS: '0' },
      log: () => undefined,
      error: (line) => synthErrors.push(line),
    });
    expect(code).toBe(1);
    expect(synthErrors.join('\n')).toContain(`is held by pid ${process.pid} (npm run plan -- tutorial; running;`);

    writeFileSync(join(cwd, 'go'), '');
    expect(await planning).toBe(0);
    expect(existsSync(join(cwd, 'cdktf.out', 'plans', 'tutorial.plan.json'))).toBe(true);
    expect(await runSynth([], { cwd, env: { KMS_LOCK_WAIT_SECONDS: '0' }, log: () => undefined, error: () => undefined })).toBe(0);
  });

  test('a bad config exits 2 with the config error', async () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ environments: { dev: { region: 'nowhere', key: { alias: 'x' } } } }));
    const context = capture(cwd, { KMS_CONFIG: 'bad.json' });
    expect(await runPlanCommand(['dev'], context)).toBe(2);
    expect(context.err.join('\n')).toMatch(/environments\.dev\.region: "nowhere" is not an AWS region name/);
  });

  test('--no-synth without a synthesized stack tells the user to synthesize, exit 2', async () => {
    const context = capture(cwd, {});
    expect(await runPlanCommand(['tutorial', '--no-synth'], context)).toBe(2);
    expect(context.err.join('\n')).toMatch(
      /cdktf\.out\/stacks\/tutorial holds no synthesized stack \(cdk\.tf\.json, or cdk\.tf from `npm run synth -- --hcl`\); run `npm run synth` first, or drop --no-synth/,
    );
  });

  test('--no-synth plans an HCL stack (cdk.tf from `npm run synth -- --hcl`) as it plans JSON', async () => {
    mkdirSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial'), { recursive: true });
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf'), 'terraform {}\n');
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: fakeTerraform(cwd) });
    expect(await runPlanCommand(['tutorial', '--no-synth'], context)).toBe(0);
    expect(calls(cwd).map((c) => c.args[0])).toEqual(['init', 'plan', 'show']);
  });

  test('--no-synth refuses a stack folder holding both cdk.tf.json and cdk.tf, before Terraform runs', async () => {
    mkdirSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial'), { recursive: true });
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf'), 'terraform {}\n');
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json'), '{}');
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: fakeTerraform(cwd) });
    expect(await runPlanCommand(['tutorial', '--no-synth'], context)).toBe(2);
    expect(context.err.join('\n')).toMatch(/holds both cdk\.tf\.json and cdk\.tf, and Terraform would load both/);
    expect(existsSync(join(cwd, 'calls.log'))).toBe(false);
  });

  test('output of terraform show -json that is not a plan exits 1 naming the field, and writes no plan file', async () => {
    const fake = join(cwd, 'fake-terraform');
    writeFileSync(
      fake,
      [`#!${process.execPath}`, "if (process.argv[2] === 'show') process.stdout.write(JSON.stringify({ planned_values: 3 }));"].join('\n'),
      { mode: 0o755 },
    );
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: fake });
    expect(await runPlanCommand(['tutorial'], context)).toBe(1);
    expect(context.err.at(-1)).toBe(
      'npm run plan: terraform show -json printed no plan for tutorial: the output of `terraform show -json`: planned_values: expected an object, got 3',
    );
    expect(existsSync(join(cwd, 'cdktf.out', 'plans', 'tutorial.plan.json'))).toBe(false);
  });

  test('Terraform keeps its data outside the stack folder (TF_DATA_DIR), unless --keep-terraform-dir', async () => {
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: fakeTerraform(cwd) });
    expect(await runPlanCommand(['tutorial'], context)).toBe(0);
    const dataDir = join(physicalPath(cwd), 'cdktf.out', 'terraform-data', 'tutorial');
    expect(calls(cwd).map((c) => [c.args[0], c.dataDir])).toEqual([
      ['init', dataDir],
      ['plan', dataDir],
      ['show', dataDir],
    ]);
    rmSync(join(cwd, 'calls.log'));
    expect(await runPlanCommand(['tutorial', '--keep-terraform-dir'], context)).toBe(0);
    expect(calls(cwd).map((c) => c.dataDir)).toEqual([null, null, null]);
  });

  test('without AWS credentials the failure says so and names the fix', async () => {
    // What the AWS provider 5.100.0 prints when the credential chain finds nothing (seen here, offline).
    const terraform = fakeTerraform(cwd, "process.stderr.write('Error: No valid credential sources found\\n'); process.exit(1);");
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: terraform });
    expect(await runPlanCommand(['tutorial'], context)).toBe(1);
    expect(context.err).toContainEqual(
      expect.stringMatching(/^npm run plan: terraform plan -input=false -out=\S+ failed in cdktf\.out\/stacks\/tutorial \(exit 1\)$/),
    );
    expect(context.err.at(-1)).toMatch(
      /^npm run plan: Terraform found no usable AWS credentials\. Set AWS_PROFILE .* then run the command again/,
    );
  });

  test('a Terraform failure that is not about credentials gets no credentials advice', async () => {
    const context = capture(cwd, {
      TERRAFORM_BINARY_NAME: fakeTerraform(cwd, "process.stderr.write('Error: Unsupported argument\\n'); process.exit(1);"),
    });
    expect(await runPlanCommand(['tutorial'], context)).toBe(1);
    expect(context.err.join('\n')).not.toMatch(/credentials/);
  });

  test('no Terraform CLI exits 2 naming what was looked for', async () => {
    const context = capture(cwd, { TERRAFORM_BINARY_NAME: join(cwd, 'no-terraform-here') });
    expect(await runPlanCommand(['tutorial'], context)).toBe(2);
    expect(context.err.join('\n')).toMatch(/the Terraform CLI \(TERRAFORM_BINARY_NAME=.*no-terraform-here\) is not an executable file/);
  });
});
