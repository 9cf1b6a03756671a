/** Finds the Terraform CLI the way cdktf does: `TERRAFORM_BINARY_NAME`, else `terraform` on the PATH. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The environment variable cdktf reads for the Terraform binary's name or path. */
export const TERRAFORM_BINARY_ENV = 'TERRAFORM_BINARY_NAME';

/** A found binary, or why none was found. */
export type BinaryLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the Terraform binary: `TERRAFORM_BINARY_NAME` may be a path or a bare name looked up on
 * `PATH`. The answer says which variable or name was tried when nothing is found.
 */
export function findTerraformBinary(env: NodeJS.ProcessEnv = process.env): BinaryLookup {
  const wanted = env[TERRAFORM_BINARY_ENV] || 'terraform';
  const source = env[TERRAFORM_BINARY_ENV] ? `${TERRAFORM_BINARY_ENV}=${wanted}` : '`terraform`';
  if (wanted.includes('/') || isAbsolute(wanted)) {
    return isExecutableFile(wanted)
      ? { found: true, path: wanted }
      : { found: false, reason: `the Terraform CLI (${source}) is not an executable file` };
  }
  const names = process.platform === 'win32' ? [wanted, `${wanted}.exe`] : [wanted];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return { found: true, path: candidate };
    }
  }
  return { found: false, reason: `the Terraform CLI (${source}) is not on the PATH` };
}
