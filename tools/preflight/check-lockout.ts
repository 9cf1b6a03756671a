/**
 * The lockout check. KMS refuses a key policy (on CreateKey and on PutKeyPolicy) that would stop
 * the principal setting it from calling `kms:PutKeyPolicy` afterwards: its policy lockout safety
 * check, which this project keeps on. Preflight asks IAM's policy simulator
 * (`iam:SimulatePrincipalPolicy`) whether the caller, with its IAM policies and the synthesized key
 * policy as the resource policy, may call `kms:PutKeyPolicy` on the key, as verify's Lambda role
 * check simulates. An assumed-role session is simulated as its role, whose path only
 * `iam:GetRole` reveals; the account's root user is judged from the key policy alone.
 */
import { type ContextEntry, type EvaluationResult, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { accountRootArn } from '../../policy/arn';
import { type PolicyDocument, statementsOf } from '../../policy/render';
import { repointPrincipal, standInUserArn } from '../verify/check-lambda-role';
import { errorName, isAccessDenied, oneLine } from '../verify/diagnosis';
import { matchesArnPattern } from '../verify/secret-arns';
import type { CheckResult, PreflightContext } from './types';

/** Check id. */
export const LOCKOUT_CHECK = 'lockout';

/** Who may run this check. */
export const LOCKOUT_NEEDS = 'iam:SimulatePrincipalPolicy (an identity with IAM read and simulate access)';

/** The action KMS's lockout safety check asks about. */
export const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

const ROOT_USER = /^arn:[a-z-]+:iam::\d{12}:root$/;
const IAM_USER = /^arn:[a-z-]+:iam::\d{12}:user\/.+$/;
const ASSUMED_ROLE = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/([^/]+)\/.+$/;

/** Whether an action pattern of a policy (`kms:*`, `kms:Put*`) covers `action`; IAM compares actions without case. */
export function actionCovers(pattern: string, action: string): boolean {
  return matchesArnPattern(action.toLowerCase(), pattern.toLowerCase());
}

/**
 * Whether the key policy lets the account's root user call kms:PutKeyPolicy: an unconditional Allow
 * naming the account (or `*`) for it, and no Deny that could apply. The root user holds every IAM
 * permission, so the key policy alone decides; the simulator does not take the root user.
 */
export function rootMayPutKeyPolicy(policy: PolicyDocument, partition: string, accountId: string): boolean {
  const account = new Set([accountRootArn(partition, accountId), accountId, '*']);
  const names = (principal: unknown) => {
    if (principal === '*') return true;
    const aws = (principal as { AWS?: string | string[] } | undefined)?.AWS;
    return aws !== undefined && [aws].flat().some((arn) => account.has(arn));
  };
  const covers = (action: string | string[]) => [action].flat().some((pattern) => actionCovers(pattern, PUT_KEY_POLICY));
  const statements = statementsOf(policy);
  const denied = statements.some((s) => s.Effect === 'Deny' && names(s.Principal) && covers(s.Action));
  const allowed = statements.some((s) => s.Effect === 'Allow' && s.Condition === undefined && names(s.Principal) && covers(s.Action));
  return allowed && !denied;
}

/** The principal the simulator evaluates for the caller, or why it cannot. */
type Simulated =
  | { readonly kind: 'simulate'; readonly principal: string; readonly callerArn?: string; readonly policy: PolicyDocument }
  | { readonly kind: 'done'; readonly result: CheckResult };

/** Turns the caller into what the simulator takes: a user as itself, a session as its role behind a stand-in user. */
async function simulatedCaller(context: PreflightContext, policy: PolicyDocument): Promise<Simulated> {
  const { arn } = context.caller;
  if (IAM_USER.test(arn)) return { kind: 'simulate', principal: arn, policy };
  const session = ASSUMED_ROLE.exec(arn);
  if (!session) {
    return {
      kind: 'done',
      result: {
        id: LOCKOUT_CHECK,
        status: 'skipped',
        reason: `IAM's simulator takes IAM users and roles only, not ${arn}; run preflight as the user or role that deploys`,
      },
    };
  }
  const roleName = session[1];
  const role = await context.iam.role(roleName);
  switch (role.kind) {
    case 'denied':
      return {
        kind: 'done',
        result: {
          id: LOCKOUT_CHECK,
          status: 'skipped',
          reason: `needs iam:GetRole on role ${roleName} (the session ARN carries no role path) and ${LOCKOUT_NEEDS}`,
        },
      };
    case 'missing':
      return {
        kind: 'done',
        result: {
          id: LOCKOUT_CHECK,
          status: 'fail',
          reason: `the caller's role ${roleName} does not exist (iam:GetRole): the session outlived its role`,
          details: ['sign in again with a role that exists'],
        },
      };
    case 'error':
      return {
        kind: 'done',
        result: {
          id: LOCKOUT_CHECK,
          status: 'fail',
          reason: `the caller's role ${roleName} could not be looked up (iam:GetRole): ${oneLine(role.error)}`,
          details: ['run preflight again; a transient IAM error'],
        },
      };
    case 'found':
      break;
  }
  // With a resource policy IAM needs the simulated caller to be a user ARN: a stand-in user takes
  // the role's place in the key policy (named by role ARN or by this session's ARN).
  const standIn = standInUserArn(role.arn, role.name);
  const byRole = repointPrincipal(policy, role.arn, standIn).policy;
  return { kind: 'simulate', principal: role.arn, callerArn: standIn, policy: repointPrincipal(byRole, arn, standIn).policy };
}

function matched(results: readonly EvaluationResult[]): string[] {
  return results.flatMap((r) => {
    const ids = (r.MatchedStatements ?? []).map((m) => m.SourcePolicyId ?? m.SourcePolicyType).filter((id): id is string => Boolean(id));
    const lines = ids.length > 0 ? [`matched: ${ids.join(', ')}`] : [];
    if (r.MissingContextValues && r.MissingContextValues.length > 0) lines.push(`context not given: ${r.MissingContextValues.join(', ')}`);
    return lines;
  });
}

/** Runs the lockout check. */
export async function checkLockout(iam: IAMClient, context: PreflightContext): Promise<CheckResult> {
  const policy = context.keyPolicy;
  if (!policy) {
    return {
      id: LOCKOUT_CHECK,
      status: 'skipped',
      reason: `the key policy could not be rendered from the synthesized stack: ${context.keyPolicyError ?? 'unknown reason'}`,
    };
  }
  const { environment, caller } = context;
  const applies = context.keyArnIsReal
    ? 'once the synthesized key policy replaces the imported key\u2019s'
    : 'once the key is created with the synthesized key policy';
  const fixes = (principal: string) => [
    'KMS refuses a key policy that its caller could not change afterwards (the policy lockout safety check; this project keeps bypass_policy_lockout_safety_check false), so the deploy would fail',
    ...(environment.key.administrators.includes(principal)
      ? [
          `${principal} is in key.administrators already, so something else denies it, such as an explicit Deny or a permissions boundary (the matched statements below say which): lift it for ${PUT_KEY_POLICY} on this key`,
        ]
      : [
          `add ${principal} to key.administrators (administrators may call ${PUT_KEY_POLICY}), or deploy as an identity that is one`,
          environment.key.enableIamUserPermissions
            ? `or give ${principal} an IAM policy allowing ${PUT_KEY_POLICY} on the key (the account-root statement lets IAM policies count)`
            : `or set key.enableIamUserPermissions to true and give ${principal} an IAM policy allowing ${PUT_KEY_POLICY} on the key`,
        ]),
  ];
  if (ROOT_USER.test(caller.arn)) {
    if (rootMayPutKeyPolicy(policy, environment.partition, caller.accountId)) {
      return {
        id: LOCKOUT_CHECK,
        status: 'pass',
        reason: `the account's root user may still call ${PUT_KEY_POLICY} ${applies}: the key policy allows the account without conditions`,
      };
    }
    return {
      id: LOCKOUT_CHECK,
      status: 'fail',
      reason: `the account's root user could not call ${PUT_KEY_POLICY} ${applies}: no unconditional Allow of the key policy names the account`,
      details: [
        'KMS refuses a key policy that its caller could not change afterwards (the policy lockout safety check), so the deploy would fail',
        'keep key.enableIamUserPermissions true (the account-root statement), or deploy as an IAM role or user listed in key.administrators',
      ],
    };
  }
  const simulated = await simulatedCaller(context, policy);
  if (simulated.kind === 'done') return simulated.result;
  let results: EvaluationResult[];
  try {
    const contextEntries: ContextEntry[] = [
      { ContextKeyName: 'kms:CallerAccount', ContextKeyValues: [caller.accountId], ContextKeyType: 'string' },
    ];
    const answer = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: simulated.principal,
        ActionNames: [PUT_KEY_POLICY],
        ResourceArns: [context.keyArn],
        ResourcePolicy: JSON.stringify(simulated.policy),
        ...(simulated.callerArn ? { CallerArn: simulated.callerArn } : {}),
        ContextEntries: contextEntries,
      }),
    );
    results = answer.EvaluationResults ?? [];
  } catch (error) {
    if (isAccessDenied(error)) return { id: LOCKOUT_CHECK, status: 'skipped', reason: `needs ${LOCKOUT_NEEDS}` };
    if (errorName(error) === 'InvalidInputException')
      return { id: LOCKOUT_CHECK, status: 'skipped', reason: `IAM refused the simulation (${oneLine(error)})` };
    return { id: LOCKOUT_CHECK, status: 'fail', reason: `the simulation failed: ${oneLine(error)}` };
  }
  const placeholder = context.keyArnIsReal
    ? []
    : [
        `the key does not exist yet, so it was simulated as ${context.keyArn}: an IAM policy that names only specific key ARNs cannot match it`,
      ];
  const decision = results.find((r) => r.EvalActionName === PUT_KEY_POLICY)?.EvalDecision ?? 'no result';
  if (decision === 'allowed') {
    return {
      id: LOCKOUT_CHECK,
      status: 'pass',
      reason: `${simulated.principal} may still call ${PUT_KEY_POLICY} ${applies} (simulated: allowed)`,
      details: [...matched(results), ...placeholder],
    };
  }
  return {
    id: LOCKOUT_CHECK,
    status: 'fail',
    reason: `${simulated.principal} could not call ${PUT_KEY_POLICY} ${applies} (simulated: ${decision})`,
    details: [...fixes(simulated.principal), ...matched(results), ...placeholder],
  };
}
