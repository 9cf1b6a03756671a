/**
 * `npm run synth -- --hcl` (app/output-format.ts, app/hcl-render.ts, app/terraform-fmt.ts,
 * app/write-output.ts), run in-process against scratch projects: one format per stack folder,
 * nothing but synth's own files deleted, `terraform fmt` on the staged files (a stand-in CLI here;
 * __tests__/terraform/hcl-output.test.ts runs the real one), the arguments, and cdktf's
 * `SYNTH_HCL_OUTPUT` never switching a synth it was not meant for.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { hclTemplateContent, HclRenderError } from '../../app/hcl-render';
import { HCL_OUTPUT_ENV, withCdktfOutputFormat } from '../../app/output-format';
import { outputLayout, physicalPath } from '../../app/project';
import { runSynth } from '../../app/synth';
import { writeOutput } from '../../app/write-output';
import { loadConfig } from '../../config';
import { synthesizeStacks } from '../../tools/lib/synthesized';

let project: string;
let out: string[];
let err: string[];

beforeEach(() => {
  project = physicalPath(mkdtempSync(join(tmpdir(), 'kms-hcl-')));
  writeFileSync(join(project, 'cdktf.json'), '{}');
  out = [];
  err = [];
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

/** `npm run synth -- <args>` in the scratch project; no PATH unless given, so no Terraform is found. */
function synth(args: string[], env: Record<string, string> = {}): Promise<number> {
  return runSynth(args, { cwd: project, env, log: (line) => out.push(line), error: (line) => err.push(line) });
}

const stackDir = (name = 'tutorial') => join(project, 'cdktf.out', 'stacks', name);
const filesIn = (dir: string) => readdirSync(dir).sort();

function writeConfig(environments: string[]): string {
  const file = join(project, 'kms.json');
  writeFileSync(
    file,
    JSON.stringify({
      environments: Object.fromEntries(environments.map((name) => [name, { region: 'eu-west-1', key: { alias: `${name}-key` } }])),
    }),
  );
  return file;
}

/**
 * A stand-in Terraform CLI: logs its arguments and the variables that matter, appends a marker to
 * every `.tf` file under the folder it is given (as fmt rewrites them), and exits `FAKE_TF_EXIT`.
 */
function fakeTerraform(): { bin: string; log: string } {
  const bin = join(project, 'fake-bin');
  const log = join(project, 'fake-terraform.log');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'terraform'),
    [
      '#!/bin/sh',
      'printf "args: %s\\n" "$*" >> "$FAKE_TF_LOG"',
      'printf "checkpoint: %s; cli args: %s; fmt args: %s\\n" "$CHECKPOINT_DISABLE" "$TF_CLI_ARGS" "$TF_CLI_ARGS_fmt" >> "$FAKE_TF_LOG"',
      'for last; do :; done',
      'if [ "${FAKE_TF_EXIT:-0}" != 0 ]; then echo "Error: Invalid character on cdk.tf line 3" >&2; exit "$FAKE_TF_EXIT"; fi',
      'find "$last" -name "*.tf" -exec sh -c \'printf "# formatted by the stand-in\\n" >> "$1"\' _ {} \\;',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'terraform'), 0o755);
  return { bin, log };
}

describe('HCL strings mean what the JSON strings mean (cdktf escapes too little)', () => {
  test.each([
    ['plain text', 'plain text'],
    ['a "quote"', 'a \\"quote\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines\r\tand a tab', 'two\\nlines\\r\\tand a tab'],
    ['bell \u0007', 'bell \\u0007'],
    ['{"ARN":["${aws_kms_key.key.arn}"]}', '{\\"ARN\\":[\\"${aws_kms_key.key.arn}\\"]}'],
    ['${tomap({"a\\"b" = "}"})}', '${tomap({"a\\"b" = "}"})}'],
    ['literal $${x} and %%{y} "q"', 'literal $${x} and %%{y} \\"q\\"'],
    ['$$${x}', '$$${x}'],
    ['cost: $5 and 100%', 'cost: $5 and 100%'],
  ])('%j is written %j', (json, hcl) => {
    expect(hclTemplateContent(json)).toBe(hcl);
  });

  test('a sequence that never closes, or a line break inside ${...}, is refused', () => {
    expect(() => hclTemplateContent('${aws_kms_key.key.arn')).toThrow(HclRenderError);
    expect(() => hclTemplateContent('${"a}')).toThrow(/unterminated string/);
    expect(() => hclTemplateContent('${a +\nb}')).toThrow(/line break inside/);
  });
});

describe('npm run synth -- --hcl writes cdk.tf', () => {
  test('cdk.tf and cdktf’s metadata.json, a manifest naming cdk.tf, the summary naming the format', async () => {
    expect(await synth(['--hcl'])).toBe(0);
    expect(filesIn(stackDir())).toEqual(['cdk.tf', 'metadata.json']);
    const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(manifest.stacks.tutorial.synthesizedStackPath).toBe(join('stacks', 'tutorial', 'cdk.tf'));
    const hcl = readFileSync(join(stackDir(), 'cdk.tf'), 'utf8');
    expect(hcl).toContain('resource "aws_kms_key" "key" {');
    expect(hcl).toMatch(/depends_on = \[\s*aws_iam_role\.lambda_role,?\s*\]/);
    expect(out).toContain('wrote HCL (cdk.tf) for 1 stack, not formatted');
    expect(err).toEqual([]);
  });

  test('without a Terraform CLI the HCL is written unformatted, and a line says so', async () => {
    expect(await synth(['--hcl'], { PATH: join(project, 'no-such-folder') })).toBe(0);
    expect(out).toContain(
      'note: the HCL is unformatted because Terraform was not found: the Terraform CLI (`terraform`) is not on the PATH; install it, or run terraform fmt on the stack folders',
    );
  });

  test('plain npm run synth writes Terraform JSON and says so', async () => {
    expect(await synth([])).toBe(0);
    expect(filesIn(stackDir())).toEqual(['cdk.tf.json']);
    expect(out).toContain('wrote Terraform JSON (cdk.tf.json) for 1 stack');
  });

  test('import blocks survive (cdktf’s HCL drops stack overrides)', async () => {
    expect(await synth(['--hcl'], { KMS_CONFIG: join(__dirname, '..', 'fixtures', 'import-console-key.json') })).toBe(0);
    const hcl = readFileSync(join(stackDir(), 'cdk.tf'), 'utf8');
    expect(hcl).toContain('import {\n  to = aws_kms_key.key\n  id = "1234abcd-12ab-34cd-56ef-1234567890ab"\n}');
    expect(hcl).toContain('import {\n  to = aws_iam_role.lambda_role\n  id = "lambda-secrets-role"\n}');
  });
});

describe('terraform fmt runs on the staged files, with checkpoint calls off', () => {
  test('the CLI found on the PATH formats the staging folder before the files are moved', async () => {
    const { bin, log } = fakeTerraform();
    const env = { PATH: `${bin}:/usr/bin:/bin`, FAKE_TF_LOG: log, TF_CLI_ARGS: '-no-color', TF_CLI_ARGS_fmt: '-check' };
    expect(await synth(['--hcl'], env)).toBe(0);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(
      new RegExp(`^args: fmt -list=false -no-color -recursive ${join(project, 'cdktf.out', '.synth-staging-')}\\w+/stacks\n`),
    );
    expect(calls).toContain('checkpoint: 1; cli args: ; fmt args: \n');
    expect(readFileSync(join(stackDir(), 'cdk.tf'), 'utf8')).toMatch(/# formatted by the stand-in\n$/);
    expect(out).toContain('wrote HCL (cdk.tf) for 1 stack, formatted with terraform fmt');
  });

  test('TERRAFORM_BINARY_NAME names the CLI, as for cdktf', async () => {
    const { bin, log } = fakeTerraform();
    expect(await synth(['--hcl'], { TERRAFORM_BINARY_NAME: join(bin, 'terraform'), FAKE_TF_LOG: log })).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/^args: fmt /);
  });

  test('when fmt rejects the HCL, nothing is written and the earlier output stays', async () => {
    expect(await synth([])).toBe(0);
    const before = readFileSync(join(stackDir(), 'cdk.tf.json'), 'utf8');
    const { bin, log } = fakeTerraform();
    out = [];
    expect(await synth(['--hcl'], { PATH: `${bin}:/usr/bin:/bin`, FAKE_TF_LOG: log, FAKE_TF_EXIT: '3' })).toBe(1);
    expect(err[0]).toBe(
      `internal error: ${join(bin, 'terraform')} fmt exited 3: Error: Invalid character on cdk.tf line 3; the HCL was not written`,
    );
    expect(err[1]).toBe('Nothing was synthesized; the output folder is unchanged.');
    expect(filesIn(stackDir())).toEqual(['cdk.tf.json']);
    expect(readFileSync(join(stackDir(), 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(project, 'cdktf.out')).sort()).toEqual(['manifest.json', 'stacks']);
  });
});

describe('one format per stack folder: the other format’s files are deleted, nothing else', () => {
  const userFiles: Record<string, string> = {
    'terraform.tfstate': '{"version":4,"serial":3}',
    '.terraform.lock.hcl': '# lock',
    '.terraform/providers.txt': 'linked provider',
    'NOTES.md': 'why this stack exists',
    'extra.tf': '# a user file Terraform also reads',
  };
  const addUserFiles = () => {
    for (const [file, content] of Object.entries(userFiles)) {
      mkdirSync(join(stackDir(), file, '..'), { recursive: true });
      writeFileSync(join(stackDir(), file), content);
    }
  };
  const expectUserFilesKept = () => {
    for (const [file, content] of Object.entries(userFiles)) expect(readFileSync(join(stackDir(), file), 'utf8')).toBe(content);
  };

  test('JSON, then HCL, then JSON: each run leaves one format and every file that is not synth’s', async () => {
    expect(await synth([])).toBe(0);
    addUserFiles();
    expect(await synth(['--hcl'])).toBe(0);
    expect(filesIn(stackDir())).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'NOTES.md',
      'cdk.tf',
      'extra.tf',
      'metadata.json',
      'terraform.tfstate',
    ]);
    expect(out).toContain('removed the JSON files an earlier synth wrote, so Terraform reads one format: tutorial/cdk.tf.json');
    expectUserFilesKept();

    out = [];
    expect(await synth([])).toBe(0);
    expect(filesIn(stackDir())).toEqual(['.terraform', '.terraform.lock.hcl', 'NOTES.md', 'cdk.tf.json', 'extra.tf', 'terraform.tfstate']);
    expect(out).toContain(
      'removed the HCL files an earlier synth wrote, so Terraform reads one format: tutorial/cdk.tf, tutorial/metadata.json',
    );
    expectUserFilesKept();
  });

  test('an entry named cdk.tf.json that is not a plain file is left, with a warning', async () => {
    mkdirSync(join(stackDir(), 'cdk.tf.json'), { recursive: true });
    writeFileSync(join(stackDir(), 'cdk.tf.json', 'inside.txt'), 'x');
    expect(await synth(['--hcl'])).toBe(0);
    expect(readFileSync(join(stackDir(), 'cdk.tf.json', 'inside.txt'), 'utf8')).toBe('x');
    expect(err).toEqual([
      `warning: ${join('cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json')} is not a file synth wrote (a folder or a link), so it was left; Terraform would read it next to cdk.tf: move it away`,
    ]);
  });

  test('stale-stack cleanup treats cdk.tf and metadata.json as synth’s own', async () => {
    writeConfig(['alpha', 'beta', 'gamma']);
    expect(await synth(['--hcl'], { KMS_CONFIG: 'kms.json' })).toBe(0);
    writeFileSync(join(stackDir('gamma'), 'terraform.tfstate'), '{"version":4}');
    writeConfig(['alpha']);
    out = [];
    expect(await synth(['--hcl'], { KMS_CONFIG: 'kms.json' })).toBe(0);
    expect(existsSync(stackDir('beta'))).toBe(false);
    expect(out).toContain('removed stacks no longer in the config: beta');
    expect(filesIn(stackDir('gamma'))).toEqual(['cdk.tf', 'metadata.json', 'terraform.tfstate']);
    expect(err[0]).toContain('warning: kept ');
    expect(err[0]).toContain('the folder holds terraform.tfstate, which synth did not write');
  });
});

describe('synth’s arguments (node:util parseArgs): anything unknown is refused, nothing written', () => {
  test.each([
    [['--hcl', '--bogus'], "Unknown option '--bogus'; allowed: --hcl, --help (-h)"],
    [['--bogus', '--hcl'], "Unknown option '--bogus'; allowed: --hcl, --help (-h)"],
    [['--hcl=yes'], "Option '--hcl' does not take an argument"],
    [['--hcl', 'prod'], "Unexpected argument 'prod'. This command does not take positional arguments"],
  ])('%j exits 2 with %j', async (args, message) => {
    expect(await synth(args)).toBe(2);
    expect(err).toEqual([`npm run synth: ${message} (see --help)`, 'Nothing was synthesized; the output folder is unchanged.']);
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });

  test('--hcl --help and -h print the usage without synthesizing', async () => {
    expect(await synth(['--hcl', '--help'])).toBe(0);
    expect(await synth(['-h'])).toBe(0);
    expect(out.filter((line) => line.startsWith('Usage: npm run synth'))).toHaveLength(2);
    expect(out[0]).toContain('--hcl');
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });
});

describe('cdktf’s SYNTH_HCL_OUTPUT never chooses the format by itself', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[HCL_OUTPUT_ENV];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[HCL_OUTPUT_ENV];
    else process.env[HCL_OUTPUT_ENV] = saved;
  });

  test.each(['true', '1'])('npm run synth with SYNTH_HCL_OUTPUT=%s and no --hcl refuses, exit 2, nothing written', async (value) => {
    expect(await synth([], { [HCL_OUTPUT_ENV]: value })).toBe(2);
    expect(err[0]).toBe(
      `npm run synth: SYNTH_HCL_OUTPUT=${value} is set (by your shell, or by \`cdktf synth --hcl\`), but this app writes HCL only when asked with ` +
        '`npm run synth -- --hcl`; run that for HCL, or unset SYNTH_HCL_OUTPUT for Terraform JSON (see --help)',
    );
    expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
  });

  test('SYNTH_HCL_OUTPUT=false (what cdktf deploy sets) writes JSON; --hcl writes HCL whatever the variable says', async () => {
    expect(await synth([], { [HCL_OUTPUT_ENV]: 'false' })).toBe(0);
    expect(filesIn(stackDir())).toEqual(['cdk.tf.json']);
    expect(await synth(['--hcl'], { [HCL_OUTPUT_ENV]: 'false' })).toBe(0);
    expect(filesIn(stackDir())).toEqual(['cdk.tf', 'metadata.json']);
  });

  test.each(['true', '1'])('with SYNTH_HCL_OUTPUT=%s in this process, internal synths still write and read JSON', (value) => {
    process.env[HCL_OUTPUT_ENV] = value;
    // The access report's and verify's synth.
    const [stack] = synthesizeStacks(loadConfig({})).values();
    expect(stack.resource?.aws_kms_key).toHaveProperty('key');
    // The app as tests and the harness build it.
    const outdir = join(project, 'built');
    buildApp(loadConfig({}), { layout: outputLayout(project, outdir) }).app.synth();
    expect(filesIn(join(outdir, 'stacks', 'tutorial'))).toEqual(['cdk.tf.json']);
    expect(() => JSON.parse(readFileSync(join(outdir, 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8'))).not.toThrow();
    // npm run plan's synth (writeOutput), even with the variable in its own environment.
    const planOut = join(project, 'plan-out');
    mkdirSync(planOut);
    writeOutput(loadConfig({}), outputLayout(project, planOut), { [HCL_OUTPUT_ENV]: value });
    expect(filesIn(join(planOut, 'stacks', 'tutorial'))).toEqual(['cdk.tf.json']);
    expect(process.env[HCL_OUTPUT_ENV]).toBe(value);
  });

  test('an HCL synth leaves the process’s variable as it found it, set or not, also when it fails', async () => {
    delete process.env[HCL_OUTPUT_ENV];
    expect(await synth(['--hcl'])).toBe(0);
    expect(Object.prototype.hasOwnProperty.call(process.env, HCL_OUTPUT_ENV)).toBe(false);
    // The next build in this process is JSON again.
    const outdir = join(project, 'after');
    buildApp(loadConfig({}), { layout: outputLayout(project, outdir) }).app.synth();
    expect(filesIn(join(outdir, 'stacks', 'tutorial'))).toEqual(['cdk.tf.json']);

    process.env[HCL_OUTPUT_ENV] = 'anything';
    expect(() =>
      withCdktfOutputFormat('hcl', () => {
        expect(process.env[HCL_OUTPUT_ENV]).toBe('true');
        throw new Error('construction failed');
      }),
    ).toThrow('construction failed');
    expect(process.env[HCL_OUTPUT_ENV]).toBe('anything');
  });
});
