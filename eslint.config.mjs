// `npm run lint`: typescript-eslint's recommended rules, a few type-aware ones that catch real bugs,
// and the project's layering as import rules. Prettier owns formatting (`npm run format`), so no
// stylistic rule lives here. See CONTRIBUTING.md.
import { join } from 'node:path';
import js from '@eslint/js';
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments';
import { includeIgnoreFile } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The provider's root index loads every resource binding: 4 s and 500 MB per process. */
const PROVIDER_ROOT = ['@cdktf/provider-aws', '@cdktf/provider-aws/lib', '@cdktf/provider-aws/lib/index'].map((name) => ({
  name,
  message: 'Import the provider by deep path (@cdktf/provider-aws/lib/<resource>): the root index costs 4 s and 500 MB per process.',
}));

/** AGPL-3.0 packages: development tools for the access report only. */
const AGPL = {
  group: ['@cloud-copilot/*'],
  message: 'The IAM simulator packages are AGPL-3.0 development dependencies: only tools/access-report (and its tests) may import them.',
};

const CDKTF = {
  group: ['cdktf', 'cdktf/*', 'constructs', '@cdktf/*'],
  message: 'The policy model is plain data: it never imports cdktf, constructs or the provider (constructs/ turns it into resources).',
};

const TOOLS_AND_LOADER = {
  group: ['**/tools/**', '**/config/load', '**/config/json', '**/app/**', '**/app'],
  message: 'Constructs are a library: they never import the tools, the app wiring or the config file loader (schemas in config/ are fine).',
};

export default tseslint.config(
  // What git ignores (node_modules, dist, cdktf.out, .build, coverage, local scratch folders) is not linted.
  includeIgnoreFile(join(import.meta.dirname, '.gitignore')),
  {
    ignores: [
      // A separate app that imports this package by name: its slow test installs the package, then
      // type-checks it with strict.
      'examples/consumer-app/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@eslint-community/eslint-comments': eslintComments },
    rules: {
      // An eslint-disable comment must say why, after ` -- `.
      '@eslint-community/eslint-comments/require-description': 'error',
      // Type-aware rules that pay for themselves here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // A `default:` branch counts as handling the rest of a union; a switch without one must name every case.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // A disable comment must say why: `// eslint-disable-next-line rule -- reason`.
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', { paths: PROVIDER_ROOT, patterns: [AGPL] }],
    },
  },
  {
    files: ['policy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: PROVIDER_ROOT, patterns: [AGPL, CDKTF] }] },
  },
  {
    files: ['constructs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: PROVIDER_ROOT, patterns: [AGPL, TOOLS_AND_LOADER] }] },
  },
  {
    files: ['tools/access-report/**/*.ts', '__tests__/access-report/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: PROVIDER_ROOT }] },
  },
  {
    // Plain JavaScript: jest configs and setup (CommonJS), the tool runner (ES module).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
