/**
 * The checks on where output and local state go that need the file system: symbolic links, the
 * actual output folder (`CDKTF_OUTDIR` may name any folder) and existing folders. The checks that
 * need only the path's text are in the config (`config/state-path.ts`).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/schema';
import { isInside, type OutputLayout, physicalPath } from './project';

/** What is at `path`: nothing, a file, a folder, or a file where a parent folder should be. */
function existingKind(path: string): 'none' | 'file' | 'folder' | 'under-file' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    if (code === 'ENOTDIR') return 'under-file';
    throw error;
  }
}

/** Problems with the layout and the environments' local state files, one line each (empty when none). */
export function checkLocations(config: AppConfig, layout: OutputLayout): string[] {
  const problems: string[] = [];
  if (isInside(layout.projectRoot, layout.outdir)) {
    problems.push(
      `the output folder ${layout.outdir} is the project folder or contains it; set CDKTF_OUTDIR to a folder of its own, such as cdktf.out`,
    );
  }
  for (const environment of config.environments) {
    const { backend } = environment;
    if (backend.type !== 'local') continue;
    const where = `environments.${environment.name}.backend.path`;
    const file = physicalPath(join(layout.projectRoot, backend.path));
    if (!isInside(file, layout.projectRoot)) {
      problems.push(
        `${where}: "${backend.path}" leads through a symbolic link to ${file}, outside the project; state must stay inside the project`,
      );
    } else if (isInside(file, layout.outdir)) {
      problems.push(
        `${where}: "${backend.path}" is inside the output folder ${layout.outdir}, which synth rewrites; keep state outside it`,
      );
    } else {
      const kind = existingKind(file);
      if (kind === 'folder') problems.push(`${where}: "${backend.path}" is an existing folder; give the state a file name`);
      if (kind === 'under-file') problems.push(`${where}: "${backend.path}" goes through an existing file as if it were a folder`);
    }
  }
  return problems;
}
