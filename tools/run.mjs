// Runs a TypeScript entry point without type-checking and without stale output: esbuild bundles
// the project's own sources (dependencies stay in node_modules) into .build/, then the bundle runs
// in this process. About 50 ms of build against seconds for ts-node; `tsc --noEmit` type-checks in CI.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outfile = resolve('.build', `${basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
createRequire(import.meta.url)(outfile);
