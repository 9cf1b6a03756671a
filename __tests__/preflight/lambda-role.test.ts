import { GetRoleCommand } from '@aws-sdk/client-iam';
import { checkLambdaRole } from '../../tools/preflight/check-lambda-role';
import { ACCOUNT, ADMIN_ROLE, AUDITOR, context, iamAccessDenied, iamWorld, LAMBDA_ROLE, mockedClients, USER_ROLE } from './fixtures';

const IMPORTED = { lambdaRole: { name: 'lambda-secrets-role', importExisting: true } };
const ELSEWHERE = `arn:aws:iam::${ACCOUNT}:role/lambda-secrets-role`;

async function roleCheck(setup: (mocks: ReturnType<typeof mockedClients>) => void, overrides: Record<string, unknown> = {}) {
  const mocks = mockedClients();
  setup(mocks);
  return { result: await checkLambdaRole(context(mocks, overrides, AUDITOR)), iam: mocks.iam };
}

describe('lambda-role check: a role the stack creates does not exist yet; an imported one does', () => {
  test('passes when the role the stack creates does not exist yet', async () => {
    const { result, iam } = await roleCheck(({ iam }) => iamWorld(iam));
    expect(result).toEqual({
      id: 'lambda-role',
      status: 'pass',
      reason: `role lambda-secrets-role does not exist yet; the stack creates it as ${LAMBDA_ROLE}`,
    });
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: 'lambda-secrets-role' }]);
  });

  test('fails when the role already exists, naming the role and both fixes: import it, or rename', async () => {
    const { result } = await roleCheck(({ iam }) => iamWorld(iam, [ADMIN_ROLE, USER_ROLE, LAMBDA_ROLE]));
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      `role lambda-secrets-role already exists (${LAMBDA_ROLE}): creating it would fail with EntityAlreadyExists (role names are unique per account, ignoring case)`,
    );
    expect(result.details?.[0]).toMatch(/^to manage that role with this stack, import it: set lambdaRole.importExisting to true/);
    expect(result.details).toContain('or give this stack a role of its own: rename lambdaRole.name');
    expect(result.details?.at(-1)).toMatch(/if this environment has been deployed before, this stack made it/);
  });

  test('an existing role at another path: importing it needs lambdaRole.path too', async () => {
    const { result } = await roleCheck(({ iam }) => iamWorld(iam, [ELSEWHERE]));
    expect(result.details).toContain(
      `its path is "/", the config's lambdaRole.path "/service-role/": to import it, set lambdaRole.path to "/" as well (a role's path cannot change)`,
    );
  });

  test('passes when lambdaRole.importExisting is on and the role exists at the configured path', async () => {
    const { result } = await roleCheck(({ iam }) => iamWorld(iam, [LAMBDA_ROLE]), IMPORTED);
    expect(result).toEqual({
      id: 'lambda-role',
      status: 'pass',
      reason: `role ${LAMBDA_ROLE} exists; the stack imports it (lambdaRole.importExisting)`,
    });
  });

  test('fails when lambdaRole.importExisting is on but the role does not exist', async () => {
    const { result } = await roleCheck(({ iam }) => iamWorld(iam, []), IMPORTED);
    expect(result).toMatchObject({
      status: 'fail',
      reason: `lambdaRole.importExisting is true, but role lambda-secrets-role does not exist in account ${ACCOUNT}: Terraform cannot import it`,
    });
    expect(result.details).toContain('or set lambdaRole.importExisting to false so that the stack creates the role');
  });

  test('fails when the imported role is at another path: Terraform would replace it', async () => {
    const { result } = await roleCheck(({ iam }) => iamWorld(iam, [ELSEWHERE]), IMPORTED);
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /^lambdaRole names .*role\/service-role\/lambda-secrets-role, but IAM has the role as .*:role\/lambda-secrets-role/,
    );
    expect(result.details).toEqual(['set lambdaRole.path to "/" and lambdaRole.name to "lambda-secrets-role"']);
  });

  test('is skipped, naming iam:GetRole, when the caller may not read IAM', async () => {
    const { result } = await roleCheck(({ iam }) => iam.on(GetRoleCommand).rejects(iamAccessDenied('iam:GetRole', AUDITOR, LAMBDA_ROLE)));
    expect(result).toEqual({ id: 'lambda-role', status: 'skipped', reason: 'needs iam:GetRole (IAM read access)' });
  });

  test('is skipped without a request when the environment has no Lambda role', async () => {
    const { result, iam } = await roleCheck(() => undefined, { lambdaRole: undefined });
    expect(result).toEqual({ id: 'lambda-role', status: 'skipped', reason: 'the environment has no lambdaRole' });
    expect(iam.calls()).toHaveLength(0);
  });
});
