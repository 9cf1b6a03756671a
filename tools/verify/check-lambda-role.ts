/**
 * The Lambda role check. The role trusts only Lambda, so verify does not assume it; it asks IAM's
 * policy simulator (`iam:SimulatePrincipalPolicy`) instead, with the key policy as the resource
 * policy and the request context KMS would see: kms:Decrypt and kms:GenerateDataKey must be allowed
 * when Secrets Manager calls on the role's behalf (`kms:ViaService`) and denied when the role calls
 * KMS directly.
 */
import { type ContextEntry, type EvaluationResult, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { SECRETS_MANAGER_KEY_ACTIONS } from '../../policy/actions';
import { roleArn } from '../../policy/arn';
import { viaServiceEndpoint } from '../../policy/conditions';
import type { PolicyDocument } from '../../policy/render';
import { errorName, isAccessDenied, oneLine } from './diagnosis';
import { keyArnOrSkip } from './scope';
import type { CheckResult, VerifyContext } from './types';

/** Check id. */
export const LAMBDA_ROLE_CHECK = 'lambda-role';

/** Who may run this check. */
export const LAMBDA_ROLE_NEEDS = 'iam:SimulatePrincipalPolicy (an identity with IAM read and simulate access)';

/**
 * When a resource policy is given and the simulated principal is a role, IAM requires a `CallerArn`
 * that is an IAM user ARN (it cannot be a role or a session). The simulation therefore stands a user
 * ARN in for the role, both as the caller and wherever the key policy names the role. Nothing is
 * created: the ARN only matches principals in the simulated policies.
 */
export function standInUserArn(roleArnValue: string, roleName: string): string {
  const account = /^arn:([a-z-]+):iam::(\d{12}):/.exec(roleArnValue);
  const name = `verify-stand-in-for-${roleName}`.slice(0, 64);
  return `arn:${account?.[1] ?? 'aws'}:iam::${account?.[2] ?? '000000000000'}:user/${name}`;
}

/** The key policy with every AWS principal equal to `from` replaced by `to`; also says whether any was. */
export function repointPrincipal(policy: PolicyDocument, from: string, to: string): { policy: PolicyDocument; named: boolean } {
  let named = false;
  const swap = (value: string) => {
    if (value !== from) return value;
    named = true;
    return to;
  };
  const statements = policy.Statement.map((s) => {
    if (!s.Principal || s.Principal === '*' || s.Principal.AWS === undefined) return s;
    const aws = s.Principal.AWS;
    return { ...s, Principal: { ...s.Principal, AWS: Array.isArray(aws) ? aws.map(swap) : swap(aws) } };
  });
  return { policy: { ...policy, Statement: statements }, named };
}

function entry(name: string, value: string): ContextEntry {
  return { ContextKeyName: name, ContextKeyValues: [value], ContextKeyType: 'string' };
}

function describe(results: readonly EvaluationResult[]): string {
  return results.map((r) => `${r.EvalActionName} ${r.EvalDecision}`).join(', ');
}

function evidence(results: readonly EvaluationResult[]): string[] {
  return results.flatMap((r) => {
    const lines: string[] = [];
    const matched = (r.MatchedStatements ?? []).map((m) => m.SourcePolicyId ?? m.SourcePolicyType).filter(Boolean);
    if (matched.length > 0) lines.push(`${r.EvalActionName}: matched ${matched.join(', ')}`);
    if (r.MissingContextValues && r.MissingContextValues.length > 0) lines.push(`${r.EvalActionName}: context not given: ${r.MissingContextValues.join(', ')}`);
    return lines;
  });
}

/** Runs the Lambda role check; `deployedPolicy` is GetKeyPolicy's answer when the policy check got one. */
export async function checkLambdaRole(iam: IAMClient, context: VerifyContext, deployedPolicy?: string): Promise<CheckResult> {
  const role = context.environment.lambdaRole;
  if (!role) return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: 'the environment has no lambdaRole' };
  const key = keyArnOrSkip(context, LAMBDA_ROLE_CHECK);
  if ('skipped' in key) return key.skipped;
  const accountId = context.key.kind === 'described' || context.key.kind === 'listed' ? context.key.accountId : context.caller.accountId;
  const arn = roleArn(context.environment.partition, accountId, role.path, role.name);
  let keyPolicy: PolicyDocument;
  let policySource: string;
  if (deployedPolicy !== undefined) {
    keyPolicy = JSON.parse(deployedPolicy) as PolicyDocument;
    policySource = 'the deployed key policy';
  } else if (context.expectedPolicy) {
    keyPolicy = context.expectedPolicy;
    policySource = 'the synthesized key policy (GetKeyPolicy was not available)';
  } else {
    return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: 'no key policy to simulate with: GetKeyPolicy was not available and the expected policy could not be rendered' };
  }
  const standIn = standInUserArn(arn, role.name);
  const { policy, named } = repointPrincipal(keyPolicy, arn, standIn);
  const via = viaServiceEndpoint('secretsmanager', context.environment.region);
  const simulate = async (contextEntries: ContextEntry[]) => {
    const answer = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: arn,
        ActionNames: [...SECRETS_MANAGER_KEY_ACTIONS],
        ResourceArns: [key.keyArn],
        ResourcePolicy: JSON.stringify(policy),
        CallerArn: standIn,
        ContextEntries: contextEntries,
      }),
    );
    return answer.EvaluationResults ?? [];
  };
  let throughSecretsManager: EvaluationResult[];
  let direct: EvaluationResult[];
  try {
    throughSecretsManager = await simulate([entry('kms:ViaService', via), entry('kms:CallerAccount', accountId)]);
    direct = await simulate([entry('kms:CallerAccount', accountId)]);
  } catch (error) {
    if (isAccessDenied(error)) return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: `needs ${LAMBDA_ROLE_NEEDS}` };
    if (errorName(error) === 'NoSuchEntityException') {
      return { id: LAMBDA_ROLE_CHECK, status: 'fail', reason: `role ${arn} not found: ${(error as Error).message}`, details: ['is the stack deployed in this account (`npm run deploy`)? was the role deleted outside Terraform?'] };
    }
    if (errorName(error) === 'InvalidInputException') {
      return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: `IAM refused the simulation (${oneLine(error)})` };
    }
    return { id: LAMBDA_ROLE_CHECK, status: 'fail', reason: `the simulation failed: ${oneLine(error)}` };
  }
  const notAllowed = throughSecretsManager.filter((r) => r.EvalDecision !== 'allowed');
  if (notAllowed.length > 0 || throughSecretsManager.length === 0) {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: `Lambda cannot decrypt secrets: through Secrets Manager ${describe(throughSecretsManager) || 'no result'}`,
      details: [
        `simulated with ${policySource}${named ? ', which names the role' : ', which does not name the role (access can then only come through the account-root statement and the role policy)'}`,
        `the role policy must allow ${SECRETS_MANAGER_KEY_ACTIONS.join(' and ')} on ${key.keyArn} with kms:ViaService ${via}`,
        `the key must be in the region of the secrets and the function (${context.environment.region}): kms:ViaService names the region`,
        ...evidence(notAllowed),
      ],
    };
  }
  const directAllowed = direct.filter((r) => r.EvalDecision === 'allowed');
  if (directAllowed.length > 0) {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: `missing kms:ViaService: the role may call KMS directly (${describe(directAllowed)}), not only through Secrets Manager`,
      details: ['a statement in the role policy or the key policy allows these actions without the kms:ViaService condition', ...evidence(directAllowed)],
    };
  }
  return {
    id: LAMBDA_ROLE_CHECK,
    status: 'pass',
    reason: `${role.name}: through ${via} ${describe(throughSecretsManager)}; directly ${describe(direct)} (simulated with ${policySource})`,
  };
}
