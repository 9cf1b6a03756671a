/**
 * The principals check: every IAM user and role the key policy names exists, at the path the
 * policy gives. KMS refuses a key policy naming a principal it cannot find
 * (`MalformedPolicyDocumentException`), so a typo in `key.administrators` would otherwise surface
 * only half-way through `terraform apply`.
 */
import { parseIamPrincipalArn } from '../../policy/arn';
import { oneLine } from '../verify/diagnosis';
import type { IamEntity } from './iam-lookup';
import { type KeyPolicyPrincipal, keyPolicyPrincipals, lambdaRoleArn } from './key-policy-principals';
import type { CheckResult, PreflightContext } from './types';

/** Check id. */
export const PRINCIPALS_CHECK = 'principals';

/** Who may run this check. */
export const PRINCIPALS_NEEDS = 'iam:GetRole and iam:GetUser (IAM read access)';

/** What the check found for one principal. */
type Finding =
  | { readonly kind: 'exists' | 'no-check' | 'unchecked' | 'created'; readonly line: string }
  | { readonly kind: 'problem'; readonly line: string; readonly fix: string }
  | { readonly kind: 'denied'; readonly line: string; readonly action: string };

const named = (principal: KeyPolicyPrincipal) => `${principal.arn} (${principal.sources.join(', ')})`;

/** The fix for a principal that does not exist, by where it comes from. */
function missingFix(principal: KeyPolicyPrincipal): string {
  return principal.sources
    .map((source) =>
      source === 'lambdaRole'
        ? 'create the role first, or set lambdaRole.importExisting to false so that the stack creates it'
        : source.startsWith('key.kmsGrants')
          ? `create it, or correct or remove ${source}`
          : source.startsWith('key policy statement')
            ? `create it, or change the grant that adds ${source}`
            : `create it, or correct or remove ${source}`,
    )
    .join('; ');
}

/** The fix for a principal that exists under another ARN (another path, or other letter case). */
function movedFix(principal: KeyPolicyPrincipal, found: Extract<IamEntity, { kind: 'found' }>): string {
  return principal.sources
    .map((source) =>
      source === 'lambdaRole'
        ? `set lambdaRole.path to ${JSON.stringify(found.path)} and lambdaRole.name to ${JSON.stringify(found.name)} (a role's path cannot change, so Terraform would replace an imported role at another path)`
        : source.startsWith('key policy statement')
          ? `name ${found.arn} in the grant that adds ${source}`
          : `write ${source} as ${found.arn}`,
    )
    .join('; ');
}

async function examine(principal: KeyPolicyPrincipal, context: PreflightContext, createdRole: string | undefined): Promise<Finding> {
  if (principal.arn === createdRole) {
    return { kind: 'created', line: `created by this stack: ${named(principal)}; the lambda-role check covers it` };
  }
  const parsed = parseIamPrincipalArn(principal.arn);
  if (!parsed) return { kind: 'unchecked', line: `not checked: ${named(principal)} is not an IAM user or role ARN` };
  if (parsed.resource === 'root') {
    return { kind: 'no-check', line: `no check needed: ${named(principal)} is the account ${parsed.accountId} itself` };
  }
  if (parsed.accountId !== context.caller.accountId) {
    return {
      kind: 'unchecked',
      line: `not checked: ${named(principal)} is in account ${parsed.accountId}; IAM of account ${context.caller.accountId} cannot tell whether it exists there, so confirm it in that account`,
    };
  }
  const [type] = parsed.resource.split('/');
  const name = parsed.resource.slice(parsed.resource.lastIndexOf('/') + 1);
  const action = type === 'role' ? 'iam:GetRole' : 'iam:GetUser';
  const entity = type === 'role' ? await context.iam.role(name) : await context.iam.user(name);
  switch (entity.kind) {
    case 'found':
      if (entity.arn === principal.arn) return { kind: 'exists', line: `exists: ${named(principal)}` };
      return {
        kind: 'problem',
        line: `${named(principal)} is not the ${type} IAM has: IAM reports ${entity.arn}, and KMS matches the ARN exactly`,
        fix: movedFix(principal, entity),
      };
    case 'missing':
      return {
        kind: 'problem',
        line: `${named(principal)} does not exist in account ${parsed.accountId}: ${
          principal.sources.every((source) => source.startsWith('key.kmsGrants'))
            ? 'KMS refuses a grant for a principal it cannot find (CreateGrant fails at apply)'
            : 'KMS refuses a key policy that names a principal it cannot find (MalformedPolicyDocumentException)'
        }`,
        fix: missingFix(principal),
      };
    case 'denied':
      return { kind: 'denied', line: `not checked: ${named(principal)}: ${action} was denied`, action };
    case 'error':
      return {
        kind: 'problem',
        line: `${named(principal)} could not be looked up (${action}): ${oneLine(entity.error)}`,
        fix: 'run preflight again; a transient IAM error',
      };
  }
}

/** Runs the principals check. */
export async function checkPrincipals(context: PreflightContext): Promise<CheckResult> {
  if (!context.keyPolicy) {
    return {
      id: PRINCIPALS_CHECK,
      status: 'skipped',
      reason: `the key policy could not be rendered from the synthesized stack: ${context.keyPolicyError ?? 'unknown reason'}`,
    };
  }
  const role = context.environment.lambdaRole;
  const createdRole = role && !role.importExisting ? lambdaRoleArn(context.environment, context.accountId) : undefined;
  const principals = keyPolicyPrincipals(context.keyPolicy, context.environment, context.accountId);
  const findings: Finding[] = [];
  for (const principal of principals) findings.push(await examine(principal, context, createdRole));

  const problems = findings.filter((f): f is Extract<Finding, { kind: 'problem' }> => f.kind === 'problem');
  const denied = findings.filter((f): f is Extract<Finding, { kind: 'denied' }> => f.kind === 'denied');
  const others = findings.filter((f) => f.kind !== 'problem' && f.kind !== 'denied').map((f) => f.line);
  if (problems.length > 0) {
    const [first, ...more] = problems;
    return {
      id: PRINCIPALS_CHECK,
      status: 'fail',
      reason: first.line,
      details: [`fix: ${first.fix}`, ...more.flatMap((p) => [`also: ${p.line}`, `fix: ${p.fix}`]), ...denied.map((d) => d.line), ...others],
    };
  }
  if (denied.length > 0) {
    const actions = [...new Set(denied.map((d) => d.action))].join(' and ');
    return {
      id: PRINCIPALS_CHECK,
      status: 'skipped',
      reason: `needs ${actions} (IAM read access)`,
      details: [...denied.map((d) => d.line), ...others],
    };
  }
  const checked = findings.filter((f) => f.kind === 'exists').length;
  const unchecked = findings.filter((f) => f.kind === 'unchecked').length;
  const reason =
    checked === 0
      ? 'the key policy names no user or role of this account to look up'
      : `every user and role of this account the key policy names exists (${checked} looked up)`;
  return {
    id: PRINCIPALS_CHECK,
    status: 'pass',
    reason: unchecked > 0 ? `${reason}; ${unchecked} could not be checked from here (listed below)` : reason,
    details: others,
  };
}
