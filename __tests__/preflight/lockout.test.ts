import {
  GetRoleCommand,
  InvalidInputException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { actionCovers, checkLockout, rootMayPutKeyPolicy } from '../../tools/preflight/check-lockout';
import { PLACEHOLDER_KEY_ID } from '../../tools/preflight/run-checks';
import type { Caller } from '../../tools/preflight/types';
import type { PolicyDocument } from '../../policy/render';
import {
  ACCOUNT,
  ADMIN_ROLE,
  context,
  iamAccessDenied,
  iamWorld,
  KEY_ADMIN,
  KEY_ARN,
  KEY_ID,
  keyWith,
  mockedClients,
  USER_ROLE,
} from './fixtures';

const PLACEHOLDER_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${PLACEHOLDER_KEY_ID}`;
const STAND_IN = `arn:aws:iam::${ACCOUNT}:user/verify-stand-in-for-KeyAdmin`;
const DEPLOYER: Caller = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`, accountId: ACCOUNT };
const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/ci/Deployer`;
const ALICE: Caller = { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const ROOT_USER: Caller = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
/** A key policy without the account-root statement: only administrators may manage the key. */
const ADMINS_ONLY = { key: keyWith({ enableIamUserPermissions: false }) };

/** The simulator answering `decision` for every action. */
const simulator = (decision: string) => (input: SimulatePrincipalPolicyCommandInput) => ({
  EvaluationResults: (input.ActionNames ?? []).map((action) => ({
    EvalActionName: action,
    EvalResourceName: input.ResourceArns?.[0],
    EvalDecision: decision,
    MatchedStatements: decision === 'allowed' ? [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }] : [],
  })),
});

async function lockoutCheck(
  setup: (mocks: ReturnType<typeof mockedClients>) => void,
  caller: Caller = KEY_ADMIN,
  overrides: Record<string, unknown> = {},
) {
  const mocks = mockedClients();
  setup(mocks);
  const result = await checkLockout(mocks.clients.iam, context(mocks, overrides, caller));
  return { result, iam: mocks.iam, inputs: mocks.iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input) };
}

describe('lockout check: the caller could still change the key policy after it is applied (KMS\u2019s lockout safety check)', () => {
  test('passes for an administrator\u2019s session: simulated as its role (path from GetRole) behind a stand-in user, with the synthesized key policy', async () => {
    const { result, inputs } = await lockoutCheck(({ iam }) => {
      iamWorld(iam);
      iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator('allowed'));
    });
    expect(result).toEqual({
      id: 'lockout',
      status: 'pass',
      reason: `${ADMIN_ROLE} may still call kms:PutKeyPolicy once the key is created with the synthesized key policy (simulated: allowed)`,
      details: [
        'matched: ResourcePolicy',
        `the key does not exist yet, so it was simulated as ${PLACEHOLDER_ARN}: an IAM policy that names only specific key ARNs cannot match it`,
      ],
    });
    expect(inputs).toHaveLength(1);
    const [input] = inputs;
    expect(input).toMatchObject({
      PolicySourceArn: ADMIN_ROLE,
      CallerArn: STAND_IN,
      ActionNames: ['kms:PutKeyPolicy'],
      ResourceArns: [PLACEHOLDER_ARN],
    });
    expect(input.ContextEntries).toEqual([{ ContextKeyName: 'kms:CallerAccount', ContextKeyValues: [ACCOUNT], ContextKeyType: 'string' }]);
    const policy = JSON.parse(input.ResourcePolicy!) as PolicyDocument;
    const admins = policy.Statement.find((s) => s.Sid === 'KeyAdministrators')!;
    expect(admins.Principal).toEqual({ AWS: [STAND_IN] });
    expect(input.ResourcePolicy).not.toContain(ADMIN_ROLE);
  });

  test('simulates an IAM user as itself (no CallerArn), on the imported key\u2019s ARN', async () => {
    const { result, inputs } = await lockoutCheck(
      ({ iam }) => iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator('allowed')),
      ALICE,
      { key: keyWith({ importKeyId: KEY_ID }) },
    );
    expect(result).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('once the synthesized key policy replaces the imported key\u2019s'),
    });
    expect(inputs[0]).toMatchObject({ PolicySourceArn: ALICE.arn, ResourceArns: [KEY_ARN] });
    expect(inputs[0]).not.toHaveProperty('CallerArn');
  });

  test('fails when the deploying role could not call PutKeyPolicy, naming it and the fixes', async () => {
    const { result } = await lockoutCheck(
      ({ iam }) => {
        iamWorld(iam, [ADMIN_ROLE, USER_ROLE, DEPLOYER_ROLE]);
        iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator('implicitDeny'));
      },
      DEPLOYER,
      ADMINS_ONLY,
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `${DEPLOYER_ROLE} could not call kms:PutKeyPolicy once the key is created with the synthesized key policy (simulated: implicitDeny)`,
    );
    expect(result.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^KMS refuses a key policy that its caller could not change afterwards/),
        `add ${DEPLOYER_ROLE} to key.administrators (administrators may call kms:PutKeyPolicy), or deploy as an identity that is one`,
        `or set key.enableIamUserPermissions to true and give ${DEPLOYER_ROLE} an IAM policy allowing kms:PutKeyPolicy on the key`,
      ]),
    );
  });

  test('fails for a listed administrator only when something else denies it, and says so instead of suggesting to list it', async () => {
    const { result } = await lockoutCheck(({ iam }) => {
      iamWorld(iam);
      iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator('explicitDeny'));
    });
    expect(result).toMatchObject({ status: 'fail', reason: expect.stringContaining('(simulated: explicitDeny)') });
    expect(result.details?.[1]).toMatch(new RegExp(`^${ADMIN_ROLE} is in key.administrators already, so something else denies it`));
    expect(result.details?.join('\n')).not.toMatch(/add .* to key.administrators/);
  });

  test('the account\u2019s root user is judged from the key policy: passes with the account-root statement, fails without', async () => {
    const withRoot = await lockoutCheck(() => undefined, ROOT_USER);
    expect(withRoot.result).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(/^the account's root user may still call kms:PutKeyPolicy/),
    });
    expect(withRoot.inputs).toHaveLength(0);
    const without = await lockoutCheck(() => undefined, ROOT_USER, ADMINS_ONLY);
    expect(without.result).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('no unconditional Allow of the key policy names the account'),
    });
  });

  test('is skipped, naming iam:SimulatePrincipalPolicy, when the caller may not simulate', async () => {
    const { result } = await lockoutCheck(({ iam }) => {
      iamWorld(iam);
      iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('iam:SimulatePrincipalPolicy', KEY_ADMIN, ADMIN_ROLE));
    });
    expect(result).toEqual({
      id: 'lockout',
      status: 'skipped',
      reason: 'needs iam:SimulatePrincipalPolicy (an identity with IAM read and simulate access)',
    });
  });

  test('is skipped, naming iam:GetRole, when the session\u2019s role path cannot be read', async () => {
    const { result, inputs } = await lockoutCheck(({ iam }) =>
      iam.on(GetRoleCommand).rejects(iamAccessDenied('iam:GetRole', KEY_ADMIN, ADMIN_ROLE)),
    );
    expect(result).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^needs iam:GetRole on role KeyAdmin \(the session ARN carries no role path\)/),
    });
    expect(inputs).toHaveLength(0);
  });

  test('is skipped for a federated user, whom the simulator does not take, and when IAM refuses the input', async () => {
    const federated = await lockoutCheck(() => undefined, { arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, accountId: ACCOUNT });
    expect(federated.result).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining("IAM's simulator takes IAM users and roles only"),
    });
    const refused = await lockoutCheck(
      ({ iam }) =>
        iam
          .on(SimulatePrincipalPolicyCommand)
          .rejects(new InvalidInputException({ message: 'Invalid CallerArn.', $metadata: { httpStatusCode: 400 } })),
      ALICE,
    );
    expect(refused.result).toEqual({
      id: 'lockout',
      status: 'skipped',
      reason: 'IAM refused the simulation (InvalidInputException: Invalid CallerArn.)',
    });
  });
});

describe('how policies are read for the root user', () => {
  test('action wildcards cover kms:PutKeyPolicy without regard to case', () => {
    expect(['kms:*', 'KMS:put*', '*', 'kms:PutKeyPolicy'].every((pattern) => actionCovers(pattern, 'kms:PutKeyPolicy'))).toBe(true);
    expect(actionCovers('kms:Get*', 'kms:PutKeyPolicy')).toBe(false);
  });

  test('a Deny naming everyone outweighs the account-root Allow', () => {
    const policy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' },
      ],
    };
    expect(rootMayPutKeyPolicy(policy, 'aws', ACCOUNT)).toBe(false);
    expect(rootMayPutKeyPolicy({ ...policy, Statement: [policy.Statement[0]] }, 'aws', ACCOUNT)).toBe(true);
  });
});
