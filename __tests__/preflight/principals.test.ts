import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { checkPrincipals } from '../../tools/preflight/check-principals';
import { keyPolicyPrincipals } from '../../tools/preflight/key-policy-principals';
import {
  ACCOUNT,
  ADMIN_ROLE,
  AUDITOR,
  context,
  iamAccessDenied,
  iamWorld,
  keyWith,
  LAMBDA_ROLE,
  mockedClients,
  USER_ROLE,
} from './fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/people/alice`;
const PARTNER = 'arn:aws:iam::444455556666:role/PartnerReader';

async function principalsCheck(setup: (mocks: ReturnType<typeof mockedClients>) => void, overrides: Record<string, unknown> = {}) {
  const mocks = mockedClients();
  setup(mocks);
  return { result: await checkPrincipals(context(mocks, overrides, AUDITOR)), iam: mocks.iam };
}

describe('principals: read from the synthesized key policy, each with the config field that names it', () => {
  test('the account, the administrator, the user and the Lambda role of the default fixture', () => {
    const mocks = mockedClients();
    const { keyPolicy, environment } = context(mocks);
    expect(keyPolicyPrincipals(keyPolicy!, environment, ACCOUNT)).toEqual([
      { arn: ROOT, sources: ['key policy statement EnableIamUserPermissions'] },
      { arn: ADMIN_ROLE, sources: ['key.administrators[0]'] },
      { arn: USER_ROLE, sources: ['key.users[0]'] },
      { arn: LAMBDA_ROLE, sources: ['lambdaRole'] },
    ]);
  });
});

describe('principals check: every IAM principal the key policy names exists', () => {
  test('passes when administrators and users exist; the account needs no check and the role the stack creates is left to the lambda-role check', async () => {
    const { result, iam } = await principalsCheck(({ iam }) => iamWorld(iam));
    expect(result).toEqual({
      id: 'principals',
      status: 'pass',
      reason: 'every user and role of this account the key policy names exists (2 looked up)',
      details: [
        `no check needed: ${ROOT} (key policy statement EnableIamUserPermissions) is the account ${ACCOUNT} itself`,
        `exists: ${ADMIN_ROLE} (key.administrators[0])`,
        `exists: ${USER_ROLE} (key.users[0])`,
        `created by this stack: ${LAMBDA_ROLE} (lambdaRole); the lambda-role check covers it`,
      ],
    });
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toEqual(['KeyAdmin', 'KeyUser']);
  });

  test('looks users up with GetUser, and lists principals of other accounts as not checkable', async () => {
    const { result, iam } = await principalsCheck(({ iam }) => iamWorld(iam, [ADMIN_ROLE, ALICE]), {
      key: keyWith({ users: [ALICE, PARTNER] }),
    });
    expect(result.status).toBe('pass');
    expect(result.reason).toBe(
      'every user and role of this account the key policy names exists (2 looked up); 1 could not be checked from here (listed below)',
    );
    expect(result.details).toContain(
      `not checked: ${PARTNER} (key.users[1]) is in account 444455556666; IAM of account ${ACCOUNT} cannot tell whether it exists there, so confirm it in that account`,
    );
    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
  });

  test('looks up an imported Lambda role like any other principal', async () => {
    const { result, iam } = await principalsCheck(({ iam }) => iamWorld(iam, [ADMIN_ROLE, USER_ROLE, LAMBDA_ROLE]), {
      lambdaRole: { name: 'lambda-secrets-role', importExisting: true },
    });
    expect(result.status).toBe('pass');
    expect(result.details).toContain(`exists: ${LAMBDA_ROLE} (lambdaRole)`);
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toContain('lambda-secrets-role');
  });

  test('fails naming the principal, its field and the fix when an administrator does not exist', async () => {
    const { result } = await principalsCheck(({ iam }) => iamWorld(iam, [USER_ROLE]));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `${ADMIN_ROLE} (key.administrators[0]) does not exist in account ${ACCOUNT}: KMS refuses a key policy that names a principal it cannot find (MalformedPolicyDocumentException)`,
    );
    expect(result.details?.[0]).toBe('fix: create it, or correct or remove key.administrators[0]');
  });

  test('fails when an imported Lambda role is missing, naming lambdaRole.importExisting', async () => {
    const { result } = await principalsCheck(({ iam }) => iamWorld(iam), {
      lambdaRole: { name: 'lambda-secrets-role', importExisting: true },
    });
    expect(result).toMatchObject({ status: 'fail', reason: expect.stringContaining(`${LAMBDA_ROLE} (lambdaRole) does not exist`) });
    expect(result.details?.[0]).toBe('fix: create the role first, or set lambdaRole.importExisting to false so that the stack creates it');
  });

  test('fails when the role exists at another path: KMS matches the ARN exactly', async () => {
    const moved = `arn:aws:iam::${ACCOUNT}:role/admins/KeyAdmin`;
    const { result } = await principalsCheck(({ iam }) => iamWorld(iam, [moved, USER_ROLE]));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `${ADMIN_ROLE} (key.administrators[0]) is not the role IAM has: IAM reports ${moved}, and KMS matches the ARN exactly`,
    );
    expect(result.details?.[0]).toBe(`fix: write key.administrators[0] as ${moved}`);
  });

  test('is skipped, naming iam:GetRole, when the caller may not read IAM', async () => {
    const { result } = await principalsCheck(({ iam }) =>
      iam.on(GetRoleCommand).rejects(iamAccessDenied('iam:GetRole', AUDITOR, ADMIN_ROLE)),
    );
    expect(result).toMatchObject({ status: 'skipped', reason: 'needs iam:GetRole (IAM read access)' });
    expect(result.details).toContain(`not checked: ${ADMIN_ROLE} (key.administrators[0]): iam:GetRole was denied`);
  });
});

describe('principals check: KMS grants name principals too', () => {
  const GRANTEE = `arn:aws:iam::${ACCOUNT}:role/batch`;
  const RETIRER = `arn:aws:iam::${ACCOUNT}:user/ops`;
  const withGrant = {
    key: keyWith({ kmsGrants: [{ name: 'batch', granteePrincipal: GRANTEE, operations: ['Decrypt'], retiringPrincipal: RETIRER }] }),
  };

  test('each grantee and retiring principal is listed with its field and looked up', async () => {
    const { result, iam } = await principalsCheck(({ iam }) => iamWorld(iam, [ADMIN_ROLE, USER_ROLE, GRANTEE, RETIRER]), withGrant);
    expect(result.status).toBe('pass');
    expect(result.details).toContain(`exists: ${GRANTEE} (key.kmsGrants[0].granteePrincipal)`);
    expect(result.details).toContain(`exists: ${RETIRER} (key.kmsGrants[0].retiringPrincipal)`);
    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input.UserName)).toContain('ops');
  });

  test('a missing grantee fails: CreateGrant would fail at apply', async () => {
    const { result } = await principalsCheck(({ iam }) => iamWorld(iam, [ADMIN_ROLE, USER_ROLE, RETIRER]), withGrant);
    expect(result).toMatchObject({
      status: 'fail',
      reason: `${GRANTEE} (key.kmsGrants[0].granteePrincipal) does not exist in account ${ACCOUNT}: KMS refuses a grant for a principal it cannot find (CreateGrant fails at apply)`,
    });
    expect(result.details?.[0]).toBe('fix: create it, or correct or remove key.kmsGrants[0].granteePrincipal');
  });
});
