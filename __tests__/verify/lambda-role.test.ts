import { type EvaluationResult, InvalidInputException, NoSuchEntityException, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from '@aws-sdk/client-iam';
import { checkLambdaRole, repointPrincipal, standInUserArn } from '../../tools/verify/check-lambda-role';
import type { VerifyContext } from '../../tools/verify/types';
import { ACCOUNT, AUDITOR, context, environment, iamAccessDenied, KEY_ARN, LAMBDA_ROLE, mockedClients } from './fixtures';

const VIA = 'secretsmanager.us-east-1.amazonaws.com';
const STAND_IN = `arn:aws:iam::${ACCOUNT}:user/verify-stand-in-for-lambda-secrets-role`;

type Decide = (input: SimulatePrincipalPolicyCommandInput, action: string) => EvaluationResult['EvalDecision'];

/** The simulator's answer: one result per action, decided by `decide`. */
function simulator(decide: Decide) {
  return (input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((action) => ({ EvalActionName: action, EvalResourceName: KEY_ARN, EvalDecision: decide(input, action) })),
    IsTruncated: false,
  });
}

const viaServiceGiven = (input: SimulatePrincipalPolicyCommandInput) => (input.ContextEntries ?? []).some((e) => e.ContextKeyName === 'kms:ViaService' && e.ContextKeyValues?.[0] === VIA);

async function roleCheck(setup: (iam: ReturnType<typeof mockedClients>['iam']) => void, overrides: Partial<VerifyContext> = {}, deployedPolicy?: string) {
  const { clients, iam } = mockedClients();
  setup(iam);
  return { result: await checkLambdaRole(clients.iam, context({ caller: AUDITOR, ...overrides }), deployedPolicy), iam };
}

describe('Lambda role check: Decrypt via Secrets Manager allowed, directly denied (IAM policy simulator)', () => {
  test('passes when only requests through Secrets Manager are allowed', async () => {
    const { result, iam } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator((input) => (viaServiceGiven(input) ? 'allowed' : 'implicitDeny'))));
    expect(result.status).toBe('pass');
    expect(result.reason).toContain('kms:Decrypt allowed, kms:GenerateDataKey allowed; directly kms:Decrypt implicitDeny');
    const [via, direct] = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input);
    expect(via).toMatchObject({ PolicySourceArn: LAMBDA_ROLE, ActionNames: ['kms:Decrypt', 'kms:GenerateDataKey'], ResourceArns: [KEY_ARN], CallerArn: STAND_IN });
    expect(via.ContextEntries).toEqual([
      { ContextKeyName: 'kms:ViaService', ContextKeyValues: [VIA], ContextKeyType: 'string' },
      { ContextKeyName: 'kms:CallerAccount', ContextKeyValues: [ACCOUNT], ContextKeyType: 'string' },
    ]);
    expect(direct.ContextEntries).toEqual([{ ContextKeyName: 'kms:CallerAccount', ContextKeyValues: [ACCOUNT], ContextKeyType: 'string' }]);
    // The key policy is the resource policy, with the role's statement re-pointed at the stand-in caller.
    expect(via.ResourcePolicy).toContain(STAND_IN);
    expect(via.ResourcePolicy).not.toContain(LAMBDA_ROLE);
    expect(JSON.parse(via.ResourcePolicy!).Statement.map((s: { Sid: string }) => s.Sid)).toContain('GrantLambdaSecretsRoleViaSecretsmanager');
  });

  test('simulates with the deployed key policy when the policy check fetched it', async () => {
    const deployed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Deployed', Effect: 'Allow', Principal: { AWS: LAMBDA_ROLE }, Action: 'kms:*', Resource: '*' }] });
    const { result, iam } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator((input) => (viaServiceGiven(input) ? 'allowed' : 'implicitDeny'))), {}, deployed);
    expect(result.reason).toContain('simulated with the deployed key policy');
    expect(JSON.parse(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.ResourcePolicy!).Statement[0]).toMatchObject({ Sid: 'Deployed', Principal: { AWS: STAND_IN } });
  });

  test('fails when Lambda could not decrypt through Secrets Manager', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => 'implicitDeny')));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('Lambda cannot decrypt secrets: through Secrets Manager kms:Decrypt implicitDeny, kms:GenerateDataKey implicitDeny');
    expect(result.details?.join('\n')).toMatch(/the key must be in the region of the secrets and the function \(us-east-1\)/);
  });

  test('fails with "missing kms:ViaService" when the role may call KMS directly', async () => {
    const { result } = await roleCheck((iam) =>
      iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
        EvaluationResults: (input.ActionNames ?? []).map((action) => ({
          EvalActionName: action,
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'secrets-access', SourcePolicyType: 'role' }],
        })),
      })),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^missing kms:ViaService: the role may call KMS directly/);
    expect(result.details).toContain('kms:Decrypt: matched secrets-access');
  });

  test('fails when the role does not exist', async () => {
    const { result } = await roleCheck((iam) =>
      iam.on(SimulatePrincipalPolicyCommand).rejects(new NoSuchEntityException({ message: 'The role with name lambda-secrets-role cannot be found.', $metadata: { httpStatusCode: 404 } })),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(`role ${LAMBDA_ROLE} not found: The role with name lambda-secrets-role cannot be found.`);
  });

  test('is skipped, naming iam:SimulatePrincipalPolicy, when the caller may not simulate', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('iam:SimulatePrincipalPolicy', AUDITOR, LAMBDA_ROLE)));
    expect(result).toMatchObject({ status: 'skipped', reason: 'needs iam:SimulatePrincipalPolicy (an identity with IAM read and simulate access)' });
  });

  test('is skipped with IAM\u2019s reason when IAM refuses the simulation input', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).rejects(new InvalidInputException({ message: 'Invalid CallerArn.', $metadata: { httpStatusCode: 400 } })));
    expect(result).toMatchObject({ status: 'skipped', reason: 'IAM refused the simulation (InvalidInputException: Invalid CallerArn.)' });
  });

  test('is skipped for an environment without a Lambda role', async () => {
    const { result, iam } = await roleCheck(() => undefined, { environment: environment({ lambdaRole: undefined }) });
    expect(result).toMatchObject({ status: 'skipped', reason: 'the environment has no lambdaRole' });
    expect(iam.calls()).toHaveLength(0);
  });
});

describe('stand-in caller', () => {
  test('is a user ARN in the role\u2019s account, at most 64 characters of name', () => {
    expect(standInUserArn(LAMBDA_ROLE, 'lambda-secrets-role')).toBe(STAND_IN);
    expect(standInUserArn(LAMBDA_ROLE, 'x'.repeat(64)).split('/').at(-1)).toHaveLength(64);
  });

  test('replaces the role only where the key policy names it', () => {
    const { policy, named } = repointPrincipal(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, LAMBDA_ROLE] }, Action: 'kms:*' }] },
      LAMBDA_ROLE,
      STAND_IN,
    );
    expect(named).toBe(true);
    expect(policy.Statement[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, STAND_IN] });
  });
});
