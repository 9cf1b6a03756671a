/** Lint before evaluating: each check catches its problem, and the default policies pass. */
import { lint } from '../../tools/access-report/lint';
import { placeholdersFor } from '../../tools/access-report/placeholders';
import { renderEnvironment } from '../../tools/access-report/rendered-policies';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import { policyBytes } from '../../policy/size';
import { copy, report, single, statementsOf } from './helpers';

async function problems(edit: (stack: SynthesizedStack) => void, fixtureName?: string) {
  const { environment, stack } = single(fixtureName);
  const edited = copy(stack);
  edit(edited);
  const placeholders = placeholdersFor(environment);
  return lint({ rendered: renderEnvironment(edited, placeholders), environment, accountId: placeholders.accountId });
}

const keyResource = (stack: SynthesizedStack) => stack.resource!.aws_kms_key.key;

describe('lint', () => {
  it('finds nothing in the default policies', async () => {
    await expect(problems(() => {})).resolves.toEqual([]);
  });

  it('rejects unknown actions and patterns that match no action', async () => {
    const found = await problems((s) => {
      statementsOf(s, 'key_policy')[1].actions = ['kms:Decryp', 'kms:Nothing*'];
    });
    expect(found.map((p) => [p.check, p.message])).toEqual([
      ['actions-exist', expect.stringContaining('"kms:Decryp" is not a known action')],
      ['actions-exist', '"kms:Nothing*" matches no action in the IAM catalogue'],
    ]);
  });

  it('rejects unknown condition keys', async () => {
    const found = await problems((s) => {
      statementsOf(s, 'lambda_role_permissions')[1].condition![1].variable = 'kms:ViaServices';
    });
    expect(found).toEqual([
      expect.objectContaining({
        check: 'condition-keys-exist',
        message: 'StringEquals uses "kms:ViaServices", which is not a known condition key',
      }),
    ]);
  });

  it('rejects identity-policy resources that are neither * nor an ARN', async () => {
    const found = await problems((s) => {
      (statementsOf(s, 'lambda_role_permissions')[0] as { resources?: string[] }).resources = ['my-secret'];
    });
    expect(found).toEqual([
      expect.objectContaining({ check: 'identity-resources', message: 'resource "my-secret" is neither "*" nor an ARN' }),
    ]);
  });

  it('accepts a key policy of exactly 32,768 bytes and rejects 32,769, measured as synth measures it', async () => {
    const { environment, stack } = single();
    const placeholders = placeholdersFor(environment);
    const sized = (bytes: number) => {
      const edited = copy(stack);
      const first = statementsOf(edited, 'key_policy')[0] as { sid?: string };
      first.sid = '';
      const base = policyBytes(renderEnvironment(edited, placeholders).key.policy);
      first.sid = 'S'.repeat(bytes - base);
      expect(policyBytes(renderEnvironment(edited, placeholders).key.policy)).toBe(bytes);
      return lint({ rendered: renderEnvironment(edited, placeholders), environment, accountId: placeholders.accountId });
    };
    expect(await sized(32_768)).toEqual([]);
    expect(await sized(32_769)).toEqual([
      expect.objectContaining({ check: 'key-policy-size', message: 'the key policy would be 32769 bytes; KMS allows at most 32768' }),
    ]);
  });

  it('rejects bypassing the lockout safety check', async () => {
    const found = await problems((s) => {
      keyResource(s).bypass_policy_lockout_safety_check = true;
    });
    expect(found).toEqual([
      expect.objectContaining({ check: 'lockout-safety-check', message: expect.stringMatching(/^is true; it must be false/) }),
    ]);
  });

  it('rejects a key policy in which neither the account root nor an administrator may call PutKeyPolicy', async () => {
    const found = await problems((s) => {
      s.data!.aws_iam_policy_document!.key_policy = { statement: statementsOf(s, 'key_policy').slice(1) } as never;
    });
    expect(found.map((p) => p.check)).toEqual(['policy-manageable']);
  });

  it('accepts an administrator as the one who may call PutKeyPolicy', async () => {
    await expect(problems(() => {}, 'access-no-iam-delegation.json')).resolves.toEqual([]);
  });

  it('rejects managed policies it cannot evaluate', async () => {
    const found = await problems((s) => {
      s.resource!.aws_iam_role_policy_attachment.lambda_role_basic_execution.policy_arn = 'arn:aws:iam::aws:policy/PowerUserAccess';
    });
    expect(found).toEqual([expect.objectContaining({ check: 'managed-policies-known', where: 'aws_iam_role.lambda_role' })]);
  });

  it('fails the report without evaluating when it finds a problem', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    keyResource(edited).bypass_policy_lockout_safety_check = true;
    const result = await report(environment, edited);
    expect(result).toMatchObject({ ok: false, cells: [], riskyCells: 0 });
  });
});
