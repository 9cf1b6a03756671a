/**
 * Stack folders of environments no longer in the config. Synth removes such a folder only when it
 * holds nothing but files synth itself writes there; anything else (a `*.tfstate*` file, a
 * `.terraform/` folder, a lock file, a user's notes) means someone else's work lives there, so the
 * folder is kept and reported.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files synth writes into a stack folder: the configuration, `cdk.tf.json`, or `cdk.tf` with
 * cdktf's `metadata.json` beside it (`npm run synth -- --hcl`). Nothing else in a stack folder is
 * synth's: stale-stack cleanup removes a folder only when it holds these alone, and a synth deletes
 * those of them it did not write this time (the other format's; write-output.ts).
 */
export const SYNTH_OWNED_FILES: ReadonlySet<string> = new Set(['cdk.tf.json', 'cdk.tf', 'metadata.json']);

/** A stack folder of an environment no longer configured. */
export type StaleStack =
  /** Holds only synth's files (listed): safe to remove. */
  | { readonly name: string; readonly dir: string; readonly removable: true; readonly files: readonly string[] }
  /** Holds something synth did not write (listed, folders with a trailing `/`): kept. */
  | { readonly name: string; readonly dir: string; readonly removable: false; readonly foreign: readonly string[] };

/**
 * The folders under `<outdir>/stacks` that belong to no configured environment. Names are compared
 * without case, so that on macOS and Windows the folder of a configured environment is never taken
 * for a stale one. Symbolic links and plain files under `stacks/` are not stack folders: left alone.
 */
export function findStaleStacks(outdir: string, environments: readonly string[]): StaleStack[] {
  const stacksDir = join(outdir, 'stacks');
  let entries: string[];
  try {
    entries = readdirSync(stacksDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const configured = new Set(environments.map((name) => name.toLowerCase()));
  const stale: StaleStack[] = [];
  for (const name of entries.sort()) {
    if (configured.has(name.toLowerCase())) continue;
    const dir = join(stacksDir, name);
    if (!lstatSync(dir).isDirectory()) continue;
    const files: string[] = [];
    const foreign: string[] = [];
    for (const entry of readdirSync(dir).sort()) {
      const stat = lstatSync(join(dir, entry));
      if (stat.isFile() && SYNTH_OWNED_FILES.has(entry)) files.push(entry);
      else foreign.push(stat.isDirectory() ? `${entry}/` : entry);
    }
    stale.push(foreign.length === 0 ? { name, dir, removable: true, files } : { name, dir, removable: false, foreign });
  }
  return stale;
}

/** The warning printed for a kept folder: what is in it and what to do. */
export function keptStackWarning(stack: StaleStack & { removable: false }, shownDir: string): string {
  const listed = stack.foreign.length > 5 ? [...stack.foreign.slice(0, 5), `and ${stack.foreign.length - 5} more`] : stack.foreign;
  const state = stack.foreign.some((entry) => /\.tfstate/.test(entry));
  return (
    `warning: kept ${shownDir}: environment "${stack.name}" is no longer in the config, but the folder holds ${listed.join(', ')}, ` +
    `which synth did not write.${state ? ' It holds Terraform state: destroy or move those resources (terraform state mv, or import them elsewhere) before deleting it.' : ''} ` +
    'Delete the folder yourself once you no longer need it.'
  );
}
