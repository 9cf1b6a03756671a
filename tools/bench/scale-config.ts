/**
 * Configs with many environments for the scale scenarios, written at run time. Environment i is
 * named `envNNNN` and gets its own alias and role name (the config requires both to be unique in
 * an account); the floor fixture builds the same names.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The name of the i-th generated environment: `env0000`, `env0001`, ... */
export function scaleEnvironmentName(index: number): string {
  return `env${String(index).padStart(4, '0')}`;
}

/** A config object with `count` environments shaped like the default one. */
export function scaleConfig(count: number): { environments: Record<string, unknown> } {
  if (!Number.isInteger(count) || count < 1) throw new Error(`environment count must be a positive whole number, got ${count}`);
  const environments: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const name = scaleEnvironmentName(i);
    environments[name] = {
      region: 'us-east-1',
      key: {
        alias: `secrets-key-${name}`,
        description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
      },
      lambdaRole: { name: `lambda-secrets-role-${name}`, path: '/service-role/' },
      tags: { Environment: name, Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' },
    };
  }
  return { environments };
}

/** Writes the config with `count` environments into `dir`; returns its path. */
export function writeScaleConfig(dir: string, count: number): string {
  const file = join(dir, `config-${count}.json`);
  writeFileSync(file, JSON.stringify(scaleConfig(count), null, 2));
  return file;
}
