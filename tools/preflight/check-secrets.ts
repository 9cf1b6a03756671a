/**
 * The secrets check: no secret the environment declares (`secrets`) exists yet in its region.
 * The stack creates each one, and Secrets Manager refuses a name that is taken
 * (`ResourceExistsException`), or one scheduled for deletion (`InvalidRequestException`), half-way
 * through the apply. Looked up by name with `secretsmanager:DescribeSecret`.
 */
import { oneLine } from '../verify/diagnosis';
import { ALREADY_DEPLOYED_NOTE } from './notes';
import { describeSecret } from './secret-lookup';
import type { CheckResult, PreflightClients, PreflightContext } from './types';

/** Check id. */
export const SECRETS_CHECK = 'secrets';

/** Who may run this check. */
export const SECRETS_NEEDS =
  'secretsmanager:DescribeSecret on the declared secrets\u2019 names (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>*)';

type Finding =
  | { readonly kind: 'free'; readonly line: string }
  | { readonly kind: 'problem'; readonly line: string; readonly fix: string }
  | { readonly kind: 'denied'; readonly line: string };

/** Runs the secrets check in the region the clients talk to (the environment's, unless --region). */
export async function checkSecrets(clients: PreflightClients, context: PreflightContext): Promise<CheckResult> {
  const { secrets } = context.environment;
  if (secrets.length === 0) return { id: SECRETS_CHECK, status: 'skipped', reason: 'the environment declares no secrets' };
  const where = `in ${context.region} of account ${context.caller.accountId}`;
  const client = clients.secretsManager(context.region);
  const findings: Finding[] = [];
  for (const [index, { name }] of secrets.entries()) {
    const field = `secrets[${index}] ${JSON.stringify(name)}`;
    const lookup = await describeSecret(client, name);
    switch (lookup.kind) {
      case 'missing':
        findings.push({ kind: 'free', line: `free: ${field}` });
        break;
      case 'found':
        findings.push(
          lookup.deletedDate
            ? {
                kind: 'problem',
                line: `${field} is taken by a secret scheduled for deletion (${lookup.arn}, deleted on or after ${lookup.deletedDate.toISOString()}): Secrets Manager refuses to create a secret of that name until then`,
                fix: `rename it; or restore the old secret (aws secretsmanager restore-secret) and read it through lambdaRole.secretNames instead of declaring it; or delete it now (aws secretsmanager delete-secret --secret-id ${lookup.arn} --force-delete-without-recovery), losing its value for good`,
              }
            : {
                kind: 'problem',
                line: `${field} already exists ${where} (${lookup.arn}): creating it would fail with ResourceExistsException`,
                fix: 'rename it; or, to use the existing secret, remove it from secrets and let the role read it through lambdaRole.secretNames or lambdaRole.secretArns',
              },
        );
        break;
      case 'denied':
        findings.push({ kind: 'denied', line: `not checked: ${field}: secretsmanager:DescribeSecret was denied` });
        break;
      case 'error':
        findings.push({
          kind: 'problem',
          line: `${field} could not be looked up (secretsmanager:DescribeSecret): ${oneLine(lookup.error)}`,
          fix: 'run preflight again; a transient Secrets Manager error',
        });
        break;
    }
  }
  const problems = findings.filter((f): f is Extract<Finding, { kind: 'problem' }> => f.kind === 'problem');
  const denied = findings.filter((f) => f.kind === 'denied').map((f) => f.line);
  const free = findings.filter((f) => f.kind === 'free').map((f) => f.line);
  if (problems.length > 0) {
    const [first, ...more] = problems;
    return {
      id: SECRETS_CHECK,
      status: 'fail',
      reason: first.line,
      details: [
        `fix: ${first.fix}`,
        ...more.flatMap((p) => [`also: ${p.line}`, `fix: ${p.fix}`]),
        ...denied,
        ...free,
        ALREADY_DEPLOYED_NOTE,
      ],
    };
  }
  if (denied.length > 0) return { id: SECRETS_CHECK, status: 'skipped', reason: `needs ${SECRETS_NEEDS}`, details: [...denied, ...free] };
  return {
    id: SECRETS_CHECK,
    status: 'pass',
    reason: `no declared secret exists yet ${where} (${free.length} looked up); the stack creates them`,
  };
}
