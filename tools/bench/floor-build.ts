/** Compiles the floor fixture (`tools/bench/floor/main.ts`) to `tools/bench/floor/dist/main.js`. */
import { join } from 'node:path';

/** The folder of the floor fixture in the project at `root`; `npm run floor` runs there. */
export function floorDir(root: string): string {
  return join(root, 'tools', 'bench', 'floor');
}

/**
 * Compiles the floor as the main job is compiled (esbuild, dependencies left in node_modules), so
 * the two differ only in what their code does.
 */
export async function buildFloor(root: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(floorDir(root), 'dist', 'main.js');
  await build({
    entryPoints: [join(floorDir(root), 'main.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}
