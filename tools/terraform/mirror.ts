/**
 * The local provider mirror: `TF_PROVIDER_MIRROR` names a folder laid out as Terraform's
 * `filesystem_mirror` expects (`registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/`). The
 * harness writes a CLI configuration that installs providers only from it, into a folder of its
 * own (never the user's home), and hands it to Terraform through `TF_CLI_CONFIG_FILE`.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable that names the mirror's root folder. */
export const PROVIDER_MIRROR_ENV = 'TF_PROVIDER_MIRROR';

/** The registry host every provider here comes from. */
export const REGISTRY_HOST = 'registry.terraform.io';

/** A provider in a mirror: `hashicorp/aws`. */
export interface ProviderAddress {
  readonly namespace: string;
  readonly type: string;
}

/** The AWS provider, the only one the stacks use. */
export const AWS_PROVIDER: ProviderAddress = { namespace: 'hashicorp', type: 'aws' };

/** A usable mirror, or why there is none. */
export type MirrorLookup =
  | { readonly found: true; readonly root: string; readonly versions: readonly string[] }
  | { readonly found: false; readonly reason: string };

/** The versions of `provider` the mirror at `root` holds (folder names), newest last by string order. */
export function mirroredVersions(root: string, provider: ProviderAddress = AWS_PROVIDER): string[] {
  const dir = join(root, REGISTRY_HOST, provider.namespace, provider.type);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * Reads `TF_PROVIDER_MIRROR` and checks that it holds `provider` (and `version`, when given).
 * An unset variable is "not found": without a mirror Terraform would download from the registry,
 * which the test suite must never do.
 */
export function findProviderMirror(
  env: NodeJS.ProcessEnv = process.env,
  provider: ProviderAddress = AWS_PROVIDER,
  version?: string,
): MirrorLookup {
  const root = env[PROVIDER_MIRROR_ENV];
  const name = `${REGISTRY_HOST}/${provider.namespace}/${provider.type}`;
  if (!root) return { found: false, reason: `${PROVIDER_MIRROR_ENV} is not set (the folder that holds ${name})` };
  const versions = mirroredVersions(root, provider);
  if (versions.length === 0) {
    return { found: false, reason: `${PROVIDER_MIRROR_ENV}=${root} holds no ${name}` };
  }
  if (version !== undefined && !versions.includes(version)) {
    return { found: false, reason: `${PROVIDER_MIRROR_ENV}=${root} holds ${name} ${versions.join(', ')}, not ${version}` };
  }
  return { found: true, root, versions };
}

/**
 * The text of a CLI configuration that installs every `registry.terraform.io` provider from the
 * mirror and never from the network.
 */
export function mirrorCliConfig(mirrorRoot: string): string {
  const pattern = JSON.stringify(`${REGISTRY_HOST}/*/*`);
  return [
    '# Written by the Terraform harness: providers come from the local mirror only.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorRoot)}`,
    `    include = [${pattern}]`,
    '  }',
    '  direct {',
    `    exclude = [${pattern}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes the mirror CLI configuration as `<dir>/terraform.tfrc`; returns its path for `TF_CLI_CONFIG_FILE`. */
export function writeMirrorCliConfig(dir: string, mirrorRoot: string): string {
  const file = join(dir, 'terraform.tfrc');
  writeFileSync(file, mirrorCliConfig(mirrorRoot));
  return file;
}
