import {
  type EvaluationResult,
  InvalidInputException,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import type { PolicyDocument } from '../../policy/render';
import { checkLambdaRole, keyPolicySecretBindings, repointPrincipal, standInUserArn } from '../../tools/verify/check-lambda-role';
import { renderKeyPolicy, renderLambdaRoleSecretArnPatterns, synthesizeStack } from '../../tools/verify/expected-policy';
import { concreteSecretArn, matchesArnPattern, otherSecretArn } from '../../tools/verify/secret-arns';
import type { VerifyContext } from '../../tools/verify/types';
import {
  ACCOUNT,
  AUDITOR,
  config,
  context,
  environment,
  iamAccessDenied,
  KEY_ARN,
  LAMBDA_ROLE,
  LAMBDA_SECRETS,
  mockedClients,
  REGION,
  stack,
} from './fixtures';

const VIA = 'secretsmanager.us-east-1.amazonaws.com';
const STAND_IN = `arn:aws:iam::${ACCOUNT}:user/verify-stand-in-for-lambda-secrets-role`;
const SECRET_ARN_KEY = 'kms:EncryptionContext:SecretARN';
const SECRETS = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:`;
/** The role's first pattern `tutorial/*` made concrete. */
const OWN_SECRET = `${SECRETS}tutorial/kms-verify-a1B2c3`;
/** A secret of no config, in the same account and region. */
const OTHER_SECRET = `${SECRETS}@=kms-verify-other-a1B2c3`;
const GRANT_SID = 'GrantLambdaSecretsRoleViaSecretsmanager';

type Decide = (input: SimulatePrincipalPolicyCommandInput, action: string) => EvaluationResult['EvalDecision'];

/** The simulator's answer: one result per action, decided by `decide`. */
function simulator(decide: Decide) {
  return (input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((action) => ({
      EvalActionName: action,
      EvalResourceName: KEY_ARN,
      EvalDecision: decide(input, action),
    })),
    IsTruncated: false,
  });
}

const contextValue = (input: SimulatePrincipalPolicyCommandInput, name: string) =>
  (input.ContextEntries ?? []).find((e) => e.ContextKeyName === name)?.ContextKeyValues?.[0];
const viaServiceGiven = (input: SimulatePrincipalPolicyCommandInput) => contextValue(input, 'kms:ViaService') === VIA;
/** Whether the request names a secret under `prefix` (in the fixture's account and region). */
const secretUnder = (input: SimulatePrincipalPolicyCommandInput, prefix: string) =>
  contextValue(input, SECRET_ARN_KEY)?.startsWith(`${SECRETS}${prefix}`) ?? false;
/** What the app deploys: through Secrets Manager, for the role's own secrets only. */
const asDeployed: Decide = (input) => (viaServiceGiven(input) && secretUnder(input, 'tutorial/') ? 'allowed' : 'implicitDeny');

/** The synthesized key policy with the role's grant changed by `edit`, as JSON the policy check would pass on. */
function keyPolicyWithGrant(edit: (condition: Record<string, Record<string, string[]>>) => void): string {
  const policy = structuredClone(renderKeyPolicy(stack(), ACCOUNT, KEY_ARN));
  const grant = policy.Statement.find((s) => s.Sid === GRANT_SID)!;
  edit(grant.Condition as Record<string, Record<string, string[]>>);
  return JSON.stringify(policy);
}

async function roleCheck(
  setup: (iam: ReturnType<typeof mockedClients>['iam']) => void,
  overrides: Partial<VerifyContext> = {},
  deployedPolicy?: string,
) {
  const { clients, iam } = mockedClients();
  setup(iam);
  const result = await checkLambdaRole(clients.iam, context({ caller: AUDITOR, ...overrides }), deployedPolicy);
  return { result, iam, inputs: iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input) };
}

describe('Lambda role check: Decrypt via Secrets Manager allowed for its own secrets only, directly denied (IAM policy simulator)', () => {
  test('fails without simulating when the deployed key policy is not a policy document, naming the field', async () => {
    const policy = JSON.parse(keyPolicyWithGrant(() => undefined)) as { Statement: Record<string, unknown>[] };
    policy.Statement[3].Action = 7;
    const { result, inputs } = await roleCheck(
      (iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(asDeployed)),
      {},
      JSON.stringify(policy),
    );
    expect(result).toEqual({
      id: 'lambda-role',
      status: 'fail',
      reason: 'cannot simulate with the deployed key policy (kms:GetKeyPolicy): Statement[3].Action: expected a string or a list, got 7',
    });
    expect(inputs).toEqual([]);
  });

  test('passes when only requests through Secrets Manager for the role\u2019s own secret are allowed', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(asDeployed)));
    expect(result.status).toBe('pass');
    expect(result.reason).toBe(
      `lambda-secrets-role: through ${VIA} for its secret ${OWN_SECRET} kms:Decrypt allowed, kms:GenerateDataKey allowed; ` +
        `for another secret ${OTHER_SECRET} kms:Decrypt implicitDeny, kms:GenerateDataKey implicitDeny; ` +
        'directly kms:Decrypt implicitDeny, kms:GenerateDataKey implicitDeny (simulated with the synthesized key policy (GetKeyPolicy was not available))',
    );
  });

  test('sends kms:EncryptionContext:SecretARN: its own secret and a secret of no config via Secrets Manager, its own secret directly', async () => {
    const { inputs } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(asDeployed)));
    expect(inputs).toHaveLength(3);
    const [own, other, direct] = inputs;
    for (const input of inputs) {
      expect(input).toMatchObject({
        PolicySourceArn: LAMBDA_ROLE,
        ActionNames: ['kms:Decrypt', 'kms:GenerateDataKey'],
        ResourceArns: [KEY_ARN],
        CallerArn: STAND_IN,
      });
    }
    const entry = (name: string, value: string) => ({ ContextKeyName: name, ContextKeyValues: [value], ContextKeyType: 'string' });
    expect(own.ContextEntries).toEqual([
      entry('kms:ViaService', VIA),
      entry('kms:CallerAccount', ACCOUNT),
      entry(SECRET_ARN_KEY, OWN_SECRET),
    ]);
    expect(other.ContextEntries).toEqual([
      entry('kms:ViaService', VIA),
      entry('kms:CallerAccount', ACCOUNT),
      entry(SECRET_ARN_KEY, OTHER_SECRET),
    ]);
    // A direct caller sets its encryption context itself: claiming its own secret, only kms:ViaService can deny it.
    expect(direct.ContextEntries).toEqual([entry('kms:CallerAccount', ACCOUNT), entry(SECRET_ARN_KEY, OWN_SECRET)]);
    // The key policy is the resource policy, with the role's statement re-pointed at the stand-in caller.
    expect(own.ResourcePolicy).toContain(STAND_IN);
    expect(own.ResourcePolicy).not.toContain(LAMBDA_ROLE);
    const grant = JSON.parse(own.ResourcePolicy!).Statement.find((s: { Sid: string }) => s.Sid === GRANT_SID);
    expect(grant.Condition.StringLike).toEqual({ [SECRET_ARN_KEY]: [LAMBDA_SECRETS] });
  });

  test('makes the first secret name of the config concrete: <name>-?????? becomes <name>-a1B2c3', async () => {
    const env = environment({ lambdaRole: { name: 'lambda-secrets-role', secretNames: ['tutorial/db', 'tutorial/api'] } });
    const patterns = renderLambdaRoleSecretArnPatterns(
      synthesizeStack(config({ lambdaRole: { name: 'lambda-secrets-role', secretNames: ['tutorial/db', 'tutorial/api'] } }), 'tutorial'),
      'lambda-secrets-role',
      ACCOUNT,
    );
    const { result, inputs } = await roleCheck(
      (iam) =>
        iam
          .on(SimulatePrincipalPolicyCommand)
          .callsFake(
            simulator((input) =>
              viaServiceGiven(input) && contextValue(input, SECRET_ARN_KEY) === `${SECRETS}tutorial/db-a1B2c3` ? 'allowed' : 'implicitDeny',
            ),
          ),
      { environment: env, expectedSecretArnPatterns: patterns },
    );
    expect(result.status).toBe('pass');
    expect(inputs.map((input) => contextValue(input, SECRET_ARN_KEY))).toEqual([
      `${SECRETS}tutorial/db-a1B2c3`,
      OTHER_SECRET,
      `${SECRETS}tutorial/db-a1B2c3`,
    ]);
  });

  test('simulates with the deployed key policy when the policy check fetched it', async () => {
    const deployed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Deployed', Effect: 'Allow', Principal: { AWS: LAMBDA_ROLE }, Action: 'kms:*', Resource: '*' }],
    });
    const { result, inputs } = await roleCheck(
      (iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(asDeployed)),
      {},
      deployed,
    );
    expect(result.reason).toContain('simulated with the deployed key policy');
    expect(JSON.parse(inputs[0].ResourcePolicy!).Statement[0]).toMatchObject({ Sid: 'Deployed', Principal: { AWS: STAND_IN } });
  });

  test('fails when Lambda could not decrypt through Secrets Manager at all', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => 'implicitDeny')));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `Lambda cannot decrypt its own secrets: through Secrets Manager for ${OWN_SECRET} kms:Decrypt implicitDeny, kms:GenerateDataKey implicitDeny`,
    );
    expect(result.details?.join('\n')).toMatch(/the key must be in the region of the secrets and the function \(us-east-1\)/);
    expect(result.details?.some((d) => d.startsWith('also:'))).toBe(false);
  });

  test('fails when its own secret\u2019s ARN is denied, naming the key-policy statement that names other secrets', async () => {
    const deployed = keyPolicyWithGrant((condition) => {
      condition.StringLike[SECRET_ARN_KEY] = [`${SECRETS}other-team/*`];
    });
    const { result } = await roleCheck(
      (iam) =>
        iam
          .on(SimulatePrincipalPolicyCommand)
          .callsFake(simulator((input) => (viaServiceGiven(input) && secretUnder(input, 'other-team/') ? 'allowed' : 'implicitDeny'))),
      {},
      deployed,
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `Lambda cannot decrypt its own secrets: through Secrets Manager for ${OWN_SECRET} kms:Decrypt implicitDeny, kms:GenerateDataKey implicitDeny`,
    );
    expect(result.details).toContain(
      `key policy statement ${GRANT_SID} allows only ${SECRET_ARN_KEY} ${SECRETS}other-team/*, which does not match ${OWN_SECRET}: it names other secrets than the role reads`,
    );
    expect(result.details?.join('\n')).toContain(`${SECRET_ARN_KEY} like the role's secrets (${LAMBDA_SECRETS})`);
  });

  test('fails when the other secret\u2019s ARN is allowed because the key policy lacks the SecretARN condition', async () => {
    const deployed = keyPolicyWithGrant((condition) => {
      delete condition.StringLike;
    });
    const { result } = await roleCheck(
      (iam) =>
        iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator((input) => (viaServiceGiven(input) ? 'allowed' : 'implicitDeny'))),
      {},
      deployed,
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `the role is not bound to its own secrets: through Secrets Manager for another secret (${OTHER_SECRET}) kms:Decrypt allowed, kms:GenerateDataKey allowed`,
    );
    expect(result.details).toContain(`key policy statement ${GRANT_SID} allows the role without a ${SECRET_ARN_KEY} condition`);
    expect(result.details?.join('\n')).toMatch(
      /must both carry StringLike kms:EncryptionContext:SecretARN with the role's patterns; `npm run deploy` writes both/,
    );
  });

  test('fails when the other secret\u2019s ARN is allowed while the key policy binds the role: the role policy lacks the condition', async () => {
    const { result } = await roleCheck(
      (iam) =>
        iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
          EvaluationResults: (input.ActionNames ?? []).map((action) => ({
            EvalActionName: action,
            EvalDecision: viaServiceGiven(input) ? 'allowed' : 'implicitDeny',
            MatchedStatements: viaServiceGiven(input) ? [{ SourcePolicyId: 'secrets-access', SourcePolicyType: 'role' }] : [],
          })),
        })),
      {},
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^the role is not bound to its own secrets/);
    expect(result.details?.join('\n')).toMatch(
      /the key policy binds the role to its secrets, so the access comes from the role's IAM policies through the account-root statement/,
    );
    expect(result.details).toContain('kms:Decrypt: matched secrets-access');
  });

  test('fails with "missing kms:ViaService" when the role may call KMS directly', async () => {
    const { result } = await roleCheck((iam) =>
      iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
        EvaluationResults: (input.ActionNames ?? []).map((action) => ({
          EvalActionName: action,
          EvalDecision: secretUnder(input, 'tutorial/') ? 'allowed' : 'implicitDeny',
          MatchedStatements: [{ SourcePolicyId: 'secrets-access', SourcePolicyType: 'role' }],
        })),
      })),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^missing kms:ViaService: the role may call KMS directly/);
    expect(result.details).toContain('kms:Decrypt: matched secrets-access');
    expect(result.details?.some((d) => d.startsWith('also:'))).toBe(false);
  });

  test('names every failed case: allowed everywhere is missing kms:ViaService and not bound to its secrets', async () => {
    const { result } = await roleCheck((iam) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => 'allowed')));
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^missing kms:ViaService/);
    expect(result.details).toContain(
      `also: the role is not bound to its own secrets: through Secrets Manager for another secret (${OTHER_SECRET}) kms:Decrypt allowed, kms:GenerateDataKey allowed`,
    );
  });

  test('fails when the role does not exist', async () => {
    const { result } = await roleCheck((iam) =>
      iam.on(SimulatePrincipalPolicyCommand).rejects(
        new NoSuchEntityException({
          message: 'The role with name lambda-secrets-role cannot be found.',
          $metadata: { httpStatusCode: 404 },
        }),
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(`role ${LAMBDA_ROLE} not found: The role with name lambda-secrets-role cannot be found.`);
  });

  test('is skipped, naming iam:SimulatePrincipalPolicy, when the caller may not simulate', async () => {
    const { result, inputs } = await roleCheck((iam) =>
      iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('iam:SimulatePrincipalPolicy', AUDITOR, LAMBDA_ROLE)),
    );
    expect(result).toEqual({
      id: 'lambda-role',
      status: 'skipped',
      reason: 'needs iam:SimulatePrincipalPolicy (an identity with IAM read and simulate access)',
    });
    expect(inputs).toHaveLength(1);
  });

  test('is skipped with IAM\u2019s reason when IAM refuses the simulation input', async () => {
    const { result } = await roleCheck((iam) =>
      iam
        .on(SimulatePrincipalPolicyCommand)
        .rejects(new InvalidInputException({ message: 'Invalid CallerArn.', $metadata: { httpStatusCode: 400 } })),
    );
    expect(result).toMatchObject({ status: 'skipped', reason: 'IAM refused the simulation (InvalidInputException: Invalid CallerArn.)' });
  });

  test('is skipped for an environment without a Lambda role', async () => {
    const { result, iam } = await roleCheck(() => undefined, { environment: environment({ lambdaRole: undefined }) });
    expect(result).toMatchObject({ status: 'skipped', reason: 'the environment has no lambdaRole' });
    expect(iam.calls()).toHaveLength(0);
  });

  test('is skipped, with the reason, when the role\u2019s secret ARN patterns could not be read', async () => {
    const { result, iam } = await roleCheck(() => undefined, {
      expectedSecretArnPatterns: undefined,
      expectedSecretArnPatternsError: 'no aws_iam_role_policy of aws_iam_role.lambda_role has a ReadSecrets statement',
    });
    expect(result).toMatchObject({
      status: 'skipped',
      reason:
        "the role's secret ARN patterns could not be read from the synthesized stack: no aws_iam_role_policy of aws_iam_role.lambda_role has a ReadSecrets statement",
    });
    expect(iam.calls()).toHaveLength(0);
  });

  test('fails without simulating when the role\u2019s patterns match secrets of any name', async () => {
    const { result, iam } = await roleCheck(() => undefined, { expectedSecretArnPatterns: [`${SECRETS}*`] });
    expect(result).toMatchObject({
      status: 'fail',
      reason: `the role's secret ARN patterns (${SECRETS}*) match secrets of any name, so the role is not bound to its own secrets`,
    });
    expect(iam.calls()).toHaveLength(0);
  });
});

describe('the role\u2019s secret ARN patterns come from the synthesized stack', () => {
  const patternsOf = (lambdaRole: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
    renderLambdaRoleSecretArnPatterns(
      synthesizeStack(config({ lambdaRole: { name: 'lambda-secrets-role', ...lambdaRole }, ...overrides }), 'tutorial'),
      'lambda-secrets-role',
      ACCOUNT,
    );

  test('the default prefix <environment>/, with the real account id', () => {
    expect(renderLambdaRoleSecretArnPatterns(stack(), 'lambda-secrets-role', ACCOUNT)).toEqual([LAMBDA_SECRETS]);
  });

  test('named secrets, the environment\u2019s declared secrets, and given ARNs', () => {
    expect(patternsOf({ secretNames: ['tutorial/db'] })).toEqual([`${SECRETS}tutorial/db-??????`]);
    expect(patternsOf({}, { secrets: [{ name: 'tutorial/api' }] })).toEqual([`${SECRETS}tutorial/api-??????`]);
    expect(patternsOf({ secretArns: [`${SECRETS}shared/db-AbCdEf`] })).toEqual([`${SECRETS}shared/db-AbCdEf`]);
  });

  test('an error naming the role when the stack has none of that name', () => {
    expect(() => renderLambdaRoleSecretArnPatterns(stack(), 'another-role', ACCOUNT)).toThrow(
      'expected one aws_iam_role named another-role in the stack, found 0',
    );
  });
});

describe('secret ARNs for the simulation', () => {
  test('the own secret is the first pattern made concrete', () => {
    expect(concreteSecretArn(`${SECRETS}tutorial/*`)).toBe(`${SECRETS}tutorial/kms-verify-a1B2c3`);
    expect(concreteSecretArn(`${SECRETS}prod/db-??????`)).toBe(`${SECRETS}prod/db-a1B2c3`);
    expect(concreteSecretArn(`${SECRETS}prod/db-AbCdEf`)).toBe(`${SECRETS}prod/db-AbCdEf`);
    for (const pattern of [`${SECRETS}tutorial/*`, `${SECRETS}prod/db-??????`])
      expect(matchesArnPattern(concreteSecretArn(pattern), pattern)).toBe(true);
  });

  test('the other secret matches none of the patterns, in the given partition, region and account', () => {
    const scope = { partition: 'aws-cn', region: 'cn-north-1', accountId: ACCOUNT };
    expect(otherSecretArn(scope, [`${SECRETS}tutorial/*`])).toBe(
      `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:@=kms-verify-other-a1B2c3`,
    );
    const at = `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:@*`;
    expect(otherSecretArn(scope, [at])).toBe(`arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:=+kms-verify-other-a1B2c3`);
    expect(otherSecretArn(scope, [`arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:*`])).toBeUndefined();
  });

  test('patterns match as StringLike does: * any run, ? one character, other characters literally and with case', () => {
    expect(matchesArnPattern(`${SECRETS}a.b-123456`, `${SECRETS}a.b-??????`)).toBe(true);
    expect(matchesArnPattern(`${SECRETS}axb-123456`, `${SECRETS}a.b-??????`)).toBe(false);
    expect(matchesArnPattern(`${SECRETS}a.b-12345`, `${SECRETS}a.b-??????`)).toBe(false);
    expect(matchesArnPattern(`${SECRETS}Tutorial/x`, `${SECRETS}tutorial/*`)).toBe(false);
  });
});

describe('key policy statements that name the role', () => {
  test('say which secrets they allow, or that they have no SecretARN condition', () => {
    expect(keyPolicySecretBindings(renderKeyPolicy(stack(), ACCOUNT, KEY_ARN), LAMBDA_ROLE)).toEqual([
      { statement: GRANT_SID, values: [LAMBDA_SECRETS] },
    ]);
    const unbound = JSON.parse(keyPolicyWithGrant((condition) => delete condition.StringLike)) as PolicyDocument;
    expect(keyPolicySecretBindings(unbound, LAMBDA_ROLE)).toEqual([{ statement: GRANT_SID, values: undefined }]);
    const caseless = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: LAMBDA_ROLE },
        Action: 'kms:Decrypt',
        Condition: { StringLike: { 'KMS:encryptioncontext:secretarn': OWN_SECRET } },
      },
    };
    expect(keyPolicySecretBindings(caseless as unknown as PolicyDocument, LAMBDA_ROLE)).toEqual([
      { statement: '#1', values: [OWN_SECRET] },
    ]);
  });
});

describe('stand-in caller', () => {
  test('is a user ARN in the role\u2019s account, at most 64 characters of name', () => {
    expect(standInUserArn(LAMBDA_ROLE, 'lambda-secrets-role')).toBe(STAND_IN);
    expect(standInUserArn(LAMBDA_ROLE, 'x'.repeat(64)).split('/').at(-1)).toHaveLength(64);
  });

  test('replaces the role only where the key policy names it', () => {
    const { policy, named } = repointPrincipal(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, LAMBDA_ROLE] }, Action: 'kms:*' }],
      },
      LAMBDA_ROLE,
      STAND_IN,
    );
    expect(named).toBe(true);
    expect(policy.Statement[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, STAND_IN] });
  });
});
