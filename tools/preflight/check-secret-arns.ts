/**
 * The secret-arns check: every `lambdaRole.secretArns` entry (secrets made elsewhere that the role
 * reads) exists. A full ARN is looked up with `secretsmanager:DescribeSecret`; a
 * `<name>-??????` pattern with `secretsmanager:ListSecrets` filtered by the name. Secrets in
 * another account are listed as not checkable from this one.
 */
import { oneLine } from '../verify/diagnosis';
import { describeSecret, findSecretByPattern, parseSecretArn, type SecretLookup } from './secret-lookup';
import type { CheckResult, PreflightClients, PreflightContext } from './types';

/** Check id. */
export const SECRET_ARNS_CHECK = 'secret-arns';

/** Who may run this check. */
export const SECRET_ARNS_NEEDS =
  'secretsmanager:DescribeSecret on the secrets (full ARNs) and secretsmanager:ListSecrets (<name>-?????? patterns)';

type Finding =
  | { readonly kind: 'ok' | 'unchecked'; readonly line: string }
  | { readonly kind: 'problem'; readonly line: string; readonly fix: string }
  | { readonly kind: 'denied'; readonly line: string; readonly action: string };

async function examine(arn: string, field: string, clients: PreflightClients, context: PreflightContext): Promise<Finding> {
  const parts = parseSecretArn(arn);
  if (!parts) return { kind: 'unchecked', line: `not checked: ${field} ${arn} is not a secret ARN` };
  if (parts.accountId !== context.caller.accountId) {
    return {
      kind: 'unchecked',
      line: `not checked: ${field} ${arn} is in account ${parts.accountId}; from account ${context.caller.accountId} only that secret's resource policy could let preflight see it, so confirm it there`,
    };
  }
  const client = clients.secretsManager(parts.region);
  const action = parts.isPattern ? 'secretsmanager:ListSecrets' : 'secretsmanager:DescribeSecret';
  const lookup: SecretLookup = parts.isPattern ? await findSecretByPattern(client, arn, parts.name) : await describeSecret(client, arn);
  switch (lookup.kind) {
    case 'found':
      if (lookup.deletedDate) {
        return {
          kind: 'problem',
          line: `${field} ${lookup.arn} is scheduled for deletion (on or after ${lookup.deletedDate.toISOString()}): the role could not read it`,
          fix: `restore it (aws secretsmanager restore-secret --secret-id ${lookup.arn}), or remove it from lambdaRole.secretArns`,
        };
      }
      return { kind: 'ok', line: `exists: ${field} ${lookup.arn === arn ? arn : `${arn} is ${lookup.arn}`}` };
    case 'missing':
      return {
        kind: 'problem',
        line: parts.isPattern
          ? `${field} ${arn}: no secret named ${JSON.stringify(parts.name)} in ${parts.region} of account ${parts.accountId}`
          : `${field} ${arn} does not exist in ${parts.region} of account ${parts.accountId}`,
        fix: parts.isPattern
          ? 'create the secret, correct the name, or remove the entry'
          : `create the secret, or correct the ARN: a full ARN carries the secret's own six-character suffix; write arn:${parts.partition}:secretsmanager:${parts.region}:${parts.accountId}:secret:<name>-?????? to match whatever suffix it has`,
      };
    case 'denied':
      return { kind: 'denied', line: `not checked: ${field} ${arn}: ${action} was denied`, action };
    case 'error':
      return {
        kind: 'problem',
        line: `${field} ${arn} could not be looked up (${action}): ${oneLine(lookup.error)}`,
        fix: 'run preflight again; a transient Secrets Manager error',
      };
  }
}

/** Runs the secret-arns check. */
export async function checkSecretArns(clients: PreflightClients, context: PreflightContext): Promise<CheckResult> {
  const arns = context.environment.lambdaRole?.secretArns ?? [];
  if (arns.length === 0)
    return {
      id: SECRET_ARNS_CHECK,
      status: 'skipped',
      reason: 'no lambdaRole.secretArns: the role reads no secrets made elsewhere by ARN',
    };
  const findings: Finding[] = [];
  for (const [index, arn] of arns.entries()) findings.push(await examine(arn, `lambdaRole.secretArns[${index}]`, clients, context));
  const problems = findings.filter((f): f is Extract<Finding, { kind: 'problem' }> => f.kind === 'problem');
  const denied = findings.filter((f): f is Extract<Finding, { kind: 'denied' }> => f.kind === 'denied');
  const others = findings.filter((f) => f.kind === 'ok' || f.kind === 'unchecked').map((f) => f.line);
  if (problems.length > 0) {
    const [first, ...more] = problems;
    return {
      id: SECRET_ARNS_CHECK,
      status: 'fail',
      reason: first.line,
      details: [`fix: ${first.fix}`, ...more.flatMap((p) => [`also: ${p.line}`, `fix: ${p.fix}`]), ...denied.map((d) => d.line), ...others],
    };
  }
  if (denied.length > 0) {
    const actions = [...new Set(denied.map((d) => d.action))].join(' and ');
    return { id: SECRET_ARNS_CHECK, status: 'skipped', reason: `needs ${actions}`, details: [...denied.map((d) => d.line), ...others] };
  }
  const checked = findings.filter((f) => f.kind === 'ok').length;
  const unchecked = findings.length - checked;
  return {
    id: SECRET_ARNS_CHECK,
    status: 'pass',
    reason: `${checked === 0 ? 'no entry could be looked up from this account' : `every lambdaRole.secretArns entry of this account exists (${checked} looked up)`}${unchecked > 0 ? `; ${unchecked} could not be checked from here (listed below)` : ''}`,
    details: others,
  };
}
