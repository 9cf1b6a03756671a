/**
 * The HCL output suite shared by hcl-output.test.ts (`npm test`) and hcl-output.slow.test.ts: for
 * each case, `npm run synth -- --hcl` and `npm run synth` of the same config, then the HCL through
 * `terraform init` + `terraform validate` (without a warning), `terraform fmt -check`, and a
 * comparison with the JSON, both read back into one form (HCL through @cdktf/hcl2json, the parser
 * the cdktf CLI uses).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { TerraformStack } from 'cdktf';
import { buildApp } from '../../app/build-app';
import { outputLayout, physicalPath } from '../../app/project';
import { runSynth } from '../../app/synth';
import { loadConfig } from '../../config';
import type { TerraformResult } from '../../tools/terraform/cli';
import { OfflineHarness } from '../../tools/terraform/harness';
import { describeWithTerraform } from '../../tools/terraform/jest-support';

export { parseHcl };

/** The fixture configs' folder. */
export const FIXTURES = join(__dirname, '..', 'fixtures');

/** One case: a config (undefined: the embedded default) and the environment checked. */
export interface HclCase {
  readonly label: string;
  readonly config: string | undefined;
  readonly environment: string;
}

/** What a suite's extra checks may use: its folder and the JSON synthesized for case `i`. */
export interface HclSuite {
  readonly root: () => string;
  readonly jsonFile: (i: number) => string;
}

/** cdktf 0.21's own HCL for the first stack of `config`, without app/hcl-render.ts. */
export function rawCdktfHcl(root: string, config: string): string {
  const built = buildApp(loadConfig({ KMS_CONFIG: config }), { layout: outputLayout(root, join(root, 'raw')), format: 'hcl' });
  return (TerraformStack.prototype.toHclTerraform.call(built.stacks[0]) as { hcl: string }).hcl;
}

/**
 * `text` with the spaces inside `${...}` that are not in a quoted string removed: hcl2json gives an
 * expression's source text, which `terraform fmt` spaces out (`tomap({ "a" = b })`).
 */
function squeezeExpressions(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth === 0) {
      if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        out += text.slice(i, i + 3);
        i += 2;
      } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        out += `${c}{`;
        i += 1;
        depth = 1;
      } else out += c;
    } else if (quoted) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      out += c;
    } else if (!/\s/.test(c)) {
      if (c === '{') depth++;
      if (c === '}') depth--;
      out += c;
    }
  }
  return out;
}

/**
 * A Terraform configuration as one comparable value. The two syntaxes write the same thing
 * differently: hcl2json makes every block a list (a lone block is unwrapped on both sides), turns
 * bare references (`depends_on`, `provider`, an import's `to`) into `${...}`, gives expressions as
 * their (formatted) source text, and reads unquoted digits as numbers, which Terraform converts to
 * the string the JSON holds. cdktf's metadata (`//`) is only in the JSON.
 */
export function comparable(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === 'object' && value[0] !== null && !Array.isArray(value[0]))
      return comparable(value[0], key);
    return value.map((item) => comparable(item, key));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (name !== '//') Object.defineProperty(out, name, { value: comparable(inner, name), enumerable: true });
    }
    return out;
  }
  if (typeof value === 'string' && (key === 'depends_on' || key === 'provider' || key === 'to')) return value.replace(/^\$\{(.*)\}$/, '$1');
  if (typeof value === 'string') return squeezeExpressions(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/** Where two comparable values differ, as `path: json=... hcl=...` lines. */
export function differences(json: unknown, hcl: unknown, path = ''): string[] {
  if (isDeepStrictEqual(json, hcl)) return [];
  if (typeof json === 'object' && json !== null && typeof hcl === 'object' && hcl !== null && Array.isArray(json) === Array.isArray(hcl)) {
    const a = json as Record<string, unknown>;
    const b = hcl as Record<string, unknown>;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((name) => differences(a[name], b[name], `${path}.${name}`));
  }
  return [`${path || '.'}: json=${JSON.stringify(json)} hcl=${JSON.stringify(hcl)}`];
}

/** Declares the suite `title` for `cases`, then `more` (extra checks) inside it. */
export function describeHclOutput(title: string, cases: readonly HclCase[], more: (suite: HclSuite) => void = () => undefined): void {
  describeWithTerraform(title, (tools) => {
    let root: string;
    let harness: OfflineHarness;
    const hclDir = (i: number) => join(root, `hcl-${i}`, 'stacks', cases[i].environment);
    const jsonFile = (i: number) => join(root, `json-${i}`, 'stacks', cases[i].environment, 'cdk.tf.json');
    const logs: string[][] = [];
    let validated: TerraformResult[];

    beforeAll(async () => {
      root = physicalPath(mkdtempSync(join(tmpdir(), 'tf-hcl-')));
      writeFileSync(join(root, 'cdktf.json'), '{}');
      for (const [i, { config }] of cases.entries()) {
        const env = { ...(config ? { KMS_CONFIG: config } : {}), TERRAFORM_BINARY_NAME: tools.terraformBinary };
        const log: string[] = [];
        const errors: string[] = [];
        const context = (outdir: string) => ({
          cwd: root,
          env: { ...env, CDKTF_OUTDIR: outdir },
          log: (line: string) => log.push(line),
          error: (line: string) => errors.push(line),
        });
        expect(await runSynth(['--hcl'], context(`hcl-${i}`))).toBe(0);
        expect(await runSynth([], context(`json-${i}`))).toBe(0);
        expect(errors).toEqual([]);
        logs.push(log);
      }
      harness = await OfflineHarness.start(tools);
      const stacks = cases.map((c, i) =>
        harness.addStack(hclDir(i), { name: `${c.environment}-${i}`, planDir: join(root, 'plans'), jsonTwin: jsonFile(i) }),
      );
      validated = await Promise.all(stacks.map((stack) => harness.validate(stack)));
    });

    afterAll(async () => {
      await harness?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    describe.each(cases.map((c, i) => [c.label, i] as const))('%s', (_label, i) => {
      test('terraform init + validate accept the HCL, without a warning (no quoted references)', () => {
        expect({ code: validated[i].code, stdout: validated[i].stdout.trim(), stderr: validated[i].stderr }).toEqual({
          code: 0,
          stdout: 'Success! The configuration is valid.',
          stderr: '',
        });
      });

      test('the HCL means what the JSON means', async () => {
        const hcl = await parseHcl('cdk.tf', readFileSync(join(hclDir(i), 'cdk.tf'), 'utf8'));
        const json: unknown = JSON.parse(readFileSync(jsonFile(i), 'utf8'));
        expect(differences(comparable(json), comparable(hcl))).toEqual([]);
      });

      test('it is formatted with terraform fmt, and synth says so', () => {
        const check = spawnSync(tools.terraformBinary, ['fmt', '-check', '-list=true', '-no-color', hclDir(i)], {
          encoding: 'utf8',
          env: { ...process.env, CHECKPOINT_DISABLE: '1' },
        });
        expect({ status: check.status, unformatted: check.stdout.trim() }).toEqual({ status: 0, unformatted: '' });
        expect(logs[i]).toContain('wrote HCL (cdk.tf) for 1 stack, formatted with terraform fmt');
      });
    });

    more({ root: () => root, jsonFile });
  });
}
