import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { checkPolicy } from '../../tools/verify/check-policy';
import { renderKeyPolicy, synthesizeStack } from '../../tools/verify/expected-policy';
import { diffPolicies, orphanedPrincipals } from '../../tools/verify/policy-diff';
import type { PolicyDocument } from '../../policy/render';
import type { VerifyContext } from '../../tools/verify/types';
import {
  ACCOUNT,
  ADMIN_ROLE,
  config,
  context,
  KEY_ARN,
  KEY_USER,
  kmsAccessDenied,
  LAMBDA_ROLE,
  LAMBDA_SECRETS,
  mockedClients,
  stack,
  USER_ROLE,
} from './fixtures';

/** The policy as Terraform's aws_iam_policy_document writes it: one-item lists collapsed to strings. */
function asTerraformWritesIt(policy: PolicyDocument): string {
  const collapse = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  return JSON.stringify({
    Version: policy.Version,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Action: collapse(s.Action),
      Resource: collapse(s.Resource),
      Principal:
        s.Principal && s.Principal !== '*'
          ? Object.fromEntries(Object.entries(s.Principal).map(([k, v]) => [k, collapse(v)]))
          : s.Principal,
    })),
  });
}

async function policyCheck(deployed: string | Error, overrides: Partial<VerifyContext> = {}) {
  const { clients, kms } = mockedClients();
  if (deployed instanceof Error) kms.on(GetKeyPolicyCommand).rejects(deployed);
  else kms.on(GetKeyPolicyCommand).resolves({ Policy: deployed, PolicyName: 'default' });
  return { outcome: await checkPolicy(clients.kms, context(overrides)), kms };
}

describe('the expected policy comes from the synthesized stack', () => {
  test('has the real account id in place of the caller-identity reference', () => {
    const policy = renderKeyPolicy(stack(), ACCOUNT, KEY_ARN);
    const text = JSON.stringify(policy);
    expect(text).not.toContain('${');
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      'EnableIamUserPermissions',
      'KeyAdministrators',
      'KeyUsers',
      'GrantLambdaSecretsRoleViaSecretsmanager',
    ]);
    expect(policy.Statement[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:root`] });
    expect(policy.Statement[3].Principal).toEqual({ AWS: [LAMBDA_ROLE] });
    expect(policy.Statement[3].Condition).toEqual({
      StringEquals: { 'kms:CallerAccount': [ACCOUNT], 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] },
      StringLike: { 'kms:EncryptionContext:SecretARN': [LAMBDA_SECRETS] },
    });
  });

  test('follows the config: an environment without key users has no KeyUsers statement', () => {
    const cfg = config({ key: { alias: 'secrets-manager-encryption-key', administrators: [ADMIN_ROLE] } });
    const policy = renderKeyPolicy(synthesizeStack(cfg, 'tutorial'), ACCOUNT, KEY_ARN);
    expect(policy.Statement.map((s) => s.Sid)).not.toContain('KeyUsers');
  });
});

describe('policy check: GetKeyPolicy equals the synthesized policy after normalisation', () => {
  test('passes when the deployed policy is the same policy written differently', async () => {
    const expected = context().expectedPolicy!;
    const reordered = { ...expected, Statement: [...expected.Statement].reverse() };
    const { outcome, kms } = await policyCheck(asTerraformWritesIt(reordered));
    expect(outcome.result.status).toBe('pass');
    expect(outcome.result.reason).toContain('4 statements');
    expect(kms.commandCalls(GetKeyPolicyCommand)[0].args[0].input).toEqual({ KeyId: KEY_ARN, PolicyName: 'default' });
    expect(outcome.deployedPolicy).toBeDefined();
  });

  test('fails on drift and lists each difference', async () => {
    const expected = context().expectedPolicy!;
    const drifted: PolicyDocument = {
      ...expected,
      Statement: [
        ...expected.Statement.filter((s) => s.Sid !== 'KeyUsers').map((s) =>
          s.Sid === 'GrantLambdaSecretsRoleViaSecretsmanager' ? { ...s, Condition: undefined, Action: 'kms:*' } : s,
        ),
        { Sid: 'AddedByHand', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    };
    const { outcome } = await policyCheck(JSON.stringify(drifted));
    expect(outcome.result.status).toBe('fail');
    expect(outcome.result.reason).toMatch(/differs from the synthesized one \(4 differences\)/);
    expect(outcome.result.details).toEqual([
      expect.stringMatching(/^- statement KeyUsers is missing/),
      expect.stringMatching(
        /^~ statement GrantLambdaSecretsRoleViaSecretsmanager Action: expected \["kms:Decrypt","kms:GenerateDataKey"\], deployed \["kms:\*"\]/,
      ),
      expect.stringMatching(
        /^~ statement GrantLambdaSecretsRoleViaSecretsmanager Condition: expected \{.*kms:ViaService.*\}, deployed null/,
      ),
      expect.stringMatching(/^\+ statement AddedByHand is in the deployed policy only/),
    ]);
  });

  test('explains a principal shown as an IAM unique id (deleted role)', async () => {
    const expected = context().expectedPolicy!;
    const orphaned = JSON.parse(JSON.stringify(expected).replace(USER_ROLE, 'AROAEXAMPLEID1234567')) as PolicyDocument;
    const { outcome } = await policyCheck(JSON.stringify(orphaned));
    expect(outcome.result.status).toBe('fail');
    expect(outcome.result.details?.at(-1)).toMatch(/AROAEXAMPLEID1234567 is an IAM unique id: the user or role it named was deleted/);
  });

  test('fails naming the answer and the field when GetKeyPolicy returns something that is not a policy document', async () => {
    const expected = context().expectedPolicy!;
    const bad = { ...expected, Statement: expected.Statement.map((s, i) => (i === 1 ? { ...s, Effect: 'Maybe' } : s)) };
    const { outcome } = await policyCheck(JSON.stringify(bad));
    expect(outcome.result).toEqual({
      id: 'policy',
      status: 'fail',
      reason: 'the deployed key policy (kms:GetKeyPolicy): Statement[1].Effect: "Maybe" is not one of "Allow", "Deny"',
    });
    expect(outcome.deployedPolicy).toBe(JSON.stringify(bad));
    const { outcome: notJson } = await policyCheck('{"Version": ');
    expect(notJson.result).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/^the deployed key policy \(kms:GetKeyPolicy\): not valid JSON: /),
    });
  });

  test('reads a single statement object, and condition values that are booleans, as AWS does', async () => {
    const expected = context().expectedPolicy!;
    const single = {
      Version: expected.Version,
      Statement: { ...expected.Statement[0], Condition: { Bool: { 'aws:SecureTransport': true } } },
    };
    const { outcome } = await policyCheck(JSON.stringify(single));
    expect(outcome.result.status).toBe('fail');
    expect(outcome.result.details).toContain(
      '~ statement EnableIamUserPermissions Condition: expected null, deployed {"Bool":{"aws:SecureTransport":["true"]}}',
    );
  });

  test('is skipped, naming the administrator permission, when the caller is a key user', async () => {
    const { outcome } = await policyCheck(kmsAccessDenied('kms:GetKeyPolicy', KEY_USER), { caller: KEY_USER });
    expect(outcome.result).toMatchObject({ status: 'skipped', reason: 'needs kms:GetKeyPolicy (a key administrator)' });
    expect(outcome.deployedPolicy).toBeUndefined();
  });

  test('is skipped when the key ARN is unknown', async () => {
    const { outcome, kms } = await policyCheck('{}', { key: { kind: 'denied', error: new Error('denied') } });
    expect(outcome.result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('kms:DescribeKey or kms:ListAliases') });
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('policy diff', () => {
  test('is empty for equal policies and ignores the policy Id', () => {
    const expected = context().expectedPolicy!;
    expect(diffPolicies(expected, { ...expected, Id: 'key-consolepolicy-3' })).toEqual([]);
  });

  test('finds no orphaned principals in ARNs, only in unique ids', () => {
    expect(orphanedPrincipals(context().expectedPolicy!)).toEqual([]);
  });
});

describe('a stack with alerts has keys made only for alerts besides the secrets key', () => {
  test('the expected policy is the secrets key’s, not an alert key’s', () => {
    const config = loadConfig({ KMS_CONFIG: join(__dirname, '..', 'fixtures', 'access-alerts.json') });
    const [environment] = config.environments;
    const stack = synthesizeStack(config, environment.name);
    const policy = renderKeyPolicy(stack, '111122223333', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const sids = policy.Statement.map((s) => s.Sid);
    expect(sids).toContain('EnableIamUserPermissions');
    expect(sids).not.toContain('EventBridgePublishesAlerts');
  });
});
