/**
 * The Lambda role check. The role trusts only Lambda, so verify does not assume it; it asks IAM's
 * policy simulator (`iam:SimulatePrincipalPolicy`) instead, with the key policy as the resource
 * policy and the request context KMS would see. kms:Decrypt and kms:GenerateDataKey must be allowed
 * when Secrets Manager calls on the role's behalf (`kms:ViaService`) for one of the role's own
 * secrets (`kms:EncryptionContext:SecretARN`), denied through Secrets Manager for a secret of no
 * config, and denied when the role calls KMS directly.
 */
import { type ContextEntry, type EvaluationResult, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { SECRETS_MANAGER_KEY_ACTIONS } from '../../policy/actions';
import { roleArn } from '../../policy/arn';
import { SECRET_ARN_CONTEXT_KEY, viaServiceEndpoint } from '../../policy/conditions';
import { type PolicyDocument, statementsOf } from '../../policy/render';
import { ExternalJsonError, parsePolicyJson } from '../lib/external-json';
import { errorName, isAccessDenied, oneLine } from './diagnosis';
import { keyArnOrSkip } from './scope';
import { concreteSecretArn, matchesArnPattern, otherSecretArn } from './secret-arns';
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

/**
 * What the key policy's Allow statements naming `principal` say about `kms:EncryptionContext:SecretARN`:
 * each statement's Sid (or `#<position>`) and the values its conditions allow, or undefined when it
 * has no such condition. IAM compares condition keys without case.
 */
export function keyPolicySecretBindings(policy: PolicyDocument, principal: string): { statement: string; values: string[] | undefined }[] {
  const contextKey = SECRET_ARN_CONTEXT_KEY.toLowerCase();
  return statementsOf(policy).flatMap((s, index) => {
    if (s.Effect !== 'Allow' || !s.Principal || s.Principal === '*' || s.Principal.AWS === undefined) return [];
    if (![s.Principal.AWS].flat().includes(principal)) return [];
    const values = Object.values(s.Condition ?? {}).flatMap((byKey) =>
      Object.entries(byKey).flatMap(([name, value]) => (name.toLowerCase() === contextKey ? [value].flat() : [])),
    );
    return [{ statement: s.Sid ?? `#${index + 1}`, values: values.length > 0 ? values : undefined }];
  });
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
    if (r.MissingContextValues && r.MissingContextValues.length > 0)
      lines.push(`${r.EvalActionName}: context not given: ${r.MissingContextValues.join(', ')}`);
    return lines;
  });
}

/** One failed case of the simulation: its one-line reason and the likely causes. */
interface Failure {
  readonly reason: string;
  readonly details: string[];
}

const ACTIONS = SECRETS_MANAGER_KEY_ACTIONS.join(' and ');

/** Runs the Lambda role check; `deployedPolicy` is GetKeyPolicy's answer when the policy check got one. */
export async function checkLambdaRole(iam: IAMClient, context: VerifyContext, deployedPolicy?: string): Promise<CheckResult> {
  const role = context.environment.lambdaRole;
  if (!role) return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: 'the environment has no lambdaRole' };
  const key = keyArnOrSkip(context, LAMBDA_ROLE_CHECK);
  if ('skipped' in key) return key.skipped;
  const patterns = context.expectedSecretArnPatterns;
  if (!patterns || patterns.length === 0) {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'skipped',
      reason: `the role's secret ARN patterns could not be read from the synthesized stack: ${context.expectedSecretArnPatternsError ?? 'none found'}`,
    };
  }
  const { partition, region } = context.environment;
  const accountId = context.key.kind === 'described' || context.key.kind === 'listed' ? context.key.accountId : context.caller.accountId;
  const arn = roleArn(partition, accountId, role.path, role.name);
  let keyPolicy: PolicyDocument;
  let policySource: string;
  if (deployedPolicy !== undefined) {
    try {
      keyPolicy = parsePolicyJson(deployedPolicy, 'the deployed key policy (kms:GetKeyPolicy)');
    } catch (error) {
      if (!(error instanceof ExternalJsonError)) throw error;
      return { id: LAMBDA_ROLE_CHECK, status: 'fail', reason: `cannot simulate with ${error.oneLine}` };
    }
    policySource = 'the deployed key policy';
  } else if (context.expectedPolicy) {
    keyPolicy = context.expectedPolicy;
    policySource = 'the synthesized key policy (GetKeyPolicy was not available)';
  } else {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'skipped',
      reason: 'no key policy to simulate with: GetKeyPolicy was not available and the expected policy could not be rendered',
    };
  }
  const ownSecret = concreteSecretArn(patterns[0]);
  const otherSecret = otherSecretArn({ partition, region, accountId }, patterns);
  const patternList = patterns.join(', ');
  if (otherSecret === undefined) {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: `the role's secret ARN patterns (${patternList}) match secrets of any name, so the role is not bound to its own secrets`,
      details: ["give lambdaRole.secretNames, lambdaRole.secretArns or a lambdaRole.secretNamePrefix that names only the role's secrets"],
    };
  }
  const standIn = standInUserArn(arn, role.name);
  const { policy, named } = repointPrincipal(keyPolicy, arn, standIn);
  const bindings = keyPolicySecretBindings(keyPolicy, arn);
  const via = viaServiceEndpoint('secretsmanager', region);
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
  let ownViaSecretsManager: EvaluationResult[];
  let otherViaSecretsManager: EvaluationResult[];
  let direct: EvaluationResult[];
  try {
    ownViaSecretsManager = await simulate([
      entry('kms:ViaService', via),
      entry('kms:CallerAccount', accountId),
      entry(SECRET_ARN_CONTEXT_KEY, ownSecret),
    ]);
    otherViaSecretsManager = await simulate([
      entry('kms:ViaService', via),
      entry('kms:CallerAccount', accountId),
      entry(SECRET_ARN_CONTEXT_KEY, otherSecret),
    ]);
    // A direct caller chooses its own encryption context, so it may claim its own secret's ARN:
    // only kms:ViaService can deny this request, and leaving the ARN out would hide a missing one.
    direct = await simulate([entry('kms:CallerAccount', accountId), entry(SECRET_ARN_CONTEXT_KEY, ownSecret)]);
  } catch (error) {
    if (isAccessDenied(error)) return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: `needs ${LAMBDA_ROLE_NEEDS}` };
    if (errorName(error) === 'NoSuchEntityException') {
      return {
        id: LAMBDA_ROLE_CHECK,
        status: 'fail',
        reason: `role ${arn} not found: ${(error as Error).message}`,
        details: ['is the stack deployed in this account (`npm run deploy`)? was the role deleted outside Terraform?'],
      };
    }
    if (errorName(error) === 'InvalidInputException') {
      return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: `IAM refused the simulation (${oneLine(error)})` };
    }
    return { id: LAMBDA_ROLE_CHECK, status: 'fail', reason: `the simulation failed: ${oneLine(error)}` };
  }

  const failures: Failure[] = [];
  const ownDenied = ownViaSecretsManager.filter((r) => r.EvalDecision !== 'allowed');
  if (ownDenied.length > 0 || ownViaSecretsManager.length === 0) {
    const narrower = bindings
      .filter((b) => b.values !== undefined && !b.values.some((value) => matchesArnPattern(ownSecret, value)))
      .map(
        (b) =>
          `key policy statement ${b.statement} allows only ${SECRET_ARN_CONTEXT_KEY} ${b.values!.join(', ')}, which does not match ${ownSecret}: it names other secrets than the role reads`,
      );
    failures.push({
      reason: `Lambda cannot decrypt its own secrets: through Secrets Manager for ${ownSecret} ${describe(ownViaSecretsManager) || 'no result'}`,
      details: [
        `simulated with ${policySource}${named ? ', which names the role' : ', which does not name the role (access can then only come through the account-root statement and the role policy)'}`,
        ...narrower,
        `the key policy's grant to the role, or the role policy, must allow ${ACTIONS} on ${key.keyArn} with kms:ViaService ${via} and ${SECRET_ARN_CONTEXT_KEY} like the role's secrets (${patternList}); a condition naming other secrets denies these`,
        `the key must be in the region of the secrets and the function (${region}): kms:ViaService and the secret ARNs name the region`,
        ...evidence(ownDenied),
      ],
    });
  }
  const directAllowed = direct.filter((r) => r.EvalDecision === 'allowed');
  if (directAllowed.length > 0) {
    failures.push({
      reason: `missing kms:ViaService: the role may call KMS directly (${describe(directAllowed)}), not only through Secrets Manager`,
      details: [
        'a statement in the role policy or the key policy allows these actions without the kms:ViaService condition',
        `simulated with ${SECRET_ARN_CONTEXT_KEY} ${ownSecret}: a direct caller sets the encryption context itself, so the SecretARN condition cannot stand in for kms:ViaService`,
        ...evidence(directAllowed),
      ],
    });
  }
  const otherAllowed = otherViaSecretsManager.filter((r) => r.EvalDecision === 'allowed');
  if (otherAllowed.length > 0) {
    const unbound = bindings
      .filter((b) => b.values === undefined)
      .map((b) => `key policy statement ${b.statement} allows the role without a ${SECRET_ARN_CONTEXT_KEY} condition`);
    const wider = bindings
      .filter((b) => b.values?.some((value) => matchesArnPattern(otherSecret, value)))
      .map(
        (b) => `key policy statement ${b.statement} allows ${SECRET_ARN_CONTEXT_KEY} ${b.values!.join(', ')}, which matches ${otherSecret}`,
      );
    const fromKeyPolicy = [...unbound, ...wider];
    failures.push({
      reason: `the role is not bound to its own secrets: through Secrets Manager for another secret (${otherSecret}) ${describe(otherAllowed)}`,
      details: [
        `${otherSecret} belongs to no config and matches none of the role's secret ARN patterns (${patternList}), yet the key may be used for it on the role's behalf: wherever the role may call GetSecretValue, it could read any secret encrypted with this key`,
        ...(fromKeyPolicy.length > 0
          ? fromKeyPolicy
          : [
              `${bindings.length > 0 ? 'the key policy binds the role to its secrets' : 'the key policy does not name the role'}, so the access comes from the role's IAM policies through the account-root statement: the role policy's KMS statement (or another policy of the role) lacks the ${SECRET_ARN_CONTEXT_KEY} condition or names other secrets`,
            ]),
        `the key policy's grant and the role policy's KMS statement must both carry StringLike ${SECRET_ARN_CONTEXT_KEY} with the role's patterns; \`npm run deploy\` writes both from the config`,
        ...evidence(otherAllowed),
      ],
    });
  }
  if (failures.length > 0) {
    const [first, ...more] = failures;
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: first.reason,
      details: [...first.details, ...more.flatMap((f) => [`also: ${f.reason}`, ...f.details])],
    };
  }
  return {
    id: LAMBDA_ROLE_CHECK,
    status: 'pass',
    reason: `${role.name}: through ${via} for its secret ${ownSecret} ${describe(ownViaSecretsManager)}; for another secret ${otherSecret} ${describe(otherViaSecretsManager)}; directly ${describe(direct)} (simulated with ${policySource})`,
  };
}
