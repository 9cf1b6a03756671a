/**
 * Finds a provider mirror on this machine when `TF_PROVIDER_MIRROR` is not set, so that `npm test`
 * runs the Terraform tests wherever a mirror exists, without a path of any machine in the project.
 * It reads folder names only, breadth first and to a bounded depth, skipping virtual file systems.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_PROVIDER, mirroredVersions, type ProviderAddress, REGISTRY_HOST } from './mirror';

/** Folders never searched: kernel and device trees, and trees that cannot hold a mirror. */
const SKIPPED = new Set(['/proc', '/sys', '/dev', '/run']);
const SKIPPED_NAMES = new Set(['node_modules', '.git', '.terraform', 'cdktf.out']);

/**
 * The first folder (breadth first from `start`, at most `maxDepth` levels down) that holds some
 * version of `registry.terraform.io/<namespace>/<type>`, or undefined.
 */
export function discoverProviderMirror(provider: ProviderAddress = AWS_PROVIDER, start = '/', maxDepth = 4): string | undefined {
  let level = [start];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      if (entries.some((e) => e.name === REGISTRY_HOST && e.isDirectory()) && mirroredVersions(dir, provider).length > 0) {
        return dir;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && !SKIPPED.has(path) && !SKIPPED_NAMES.has(entry.name)) next.push(path);
      }
    }
    level = next;
  }
  return undefined;
}
