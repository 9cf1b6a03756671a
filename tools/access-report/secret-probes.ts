/**
 * Can a role this app creates read secrets that are none of its own? Each app role is asked, with
 * the evaluator, for `secretsmanager:GetSecretValue` on secrets whose names no role of this app is
 * meant to read. A role allowed any of them can read every secret in the account (`secret:*`, a
 * `*` resource, a wildcard too wide), which `app-role-reads-every-secret` flags.
 */
import type { Placeholders } from './placeholders';
import { simulate } from './simulate';
import type { PrincipalRow } from './types';

/**
 * Names of secrets that belong to no config. They start with `@=` and `=+`, which no sensible name
 * prefix does, so only a pattern that matches (nearly) any name lets a role read them.
 */
export const PROBE_SECRET_NAMES = ['@=access-report-probe-AbCdEf', '=+another-team/db/credentials-Gh1234'] as const;

/** One question and its answer. */
export interface SecretProbe {
  readonly principal: string;
  readonly secretArn: string;
  readonly allowed: boolean;
}

/** Asks every app role about every probe secret in the key's account and region. */
export async function probeSecretAccess(rows: readonly PrincipalRow[], placeholders: Placeholders): Promise<SecretProbe[]> {
  const probes: SecretProbe[] = [];
  for (const row of rows.filter((r) => r.kind === 'app-role')) {
    for (const name of PROBE_SECRET_NAMES) {
      const secretArn = `arn:${placeholders.partition}:secretsmanager:${placeholders.region}:${placeholders.accountId}:secret:${name}`;
      const analysis = await simulate({
        principal: row.arn,
        action: 'secretsmanager:GetSecretValue',
        resourceArn: secretArn,
        resourceAccountId: placeholders.accountId,
        contextVariables: {},
        identityPolicies: row.identityPolicies.filter((p) => p.document.Statement.length > 0),
        // No resource policy: the role's own policies decide, as for a secret in the role's account without one.
      });
      probes.push({ principal: row.label, secretArn, allowed: analysis.result === 'Allowed' });
    }
  }
  return probes;
}
