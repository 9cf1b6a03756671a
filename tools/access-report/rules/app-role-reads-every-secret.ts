/** A role this app creates must read its own secrets only, never every secret in the account. */
import type { SecretProbe } from '../secret-probes';

/** Flags a role allowed to read a secret that belongs to no config (see `secret-probes.ts`). */
export function appRoleReadsEverySecret(probe: SecretProbe): string | undefined {
  return probe.allowed
    ? `${probe.principal} may read ${probe.secretArn}, a secret of no config: it can read every secret in the account; name its secrets (secretArns ending in -??????) or a secretNamePrefix`
    : undefined;
}
