/**
 * KMS grants in the access report: read from the synthesized `aws_kms_grant` resources, listed in
 * the text and the JSON, checked by the grant rules; and stacks with replica keys and additional
 * aliases, which the report reads without evaluating the replicas.
 */
import type { JsonReport } from '../../tools/access-report/format-json';
import { KMS_GRANTS_HEADING } from '../../tools/access-report/format-table';
import { renderKmsGrants } from '../../tools/access-report/kms-grants';
import type { RenderedRole } from '../../tools/access-report/rendered-policies';
import { runAccessReport } from '../../tools/access-report/run';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import { copy, fixture, report, single, US_EAST_1_PLACEHOLDERS } from './helpers';

async function run(argv: string[], configFile: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAccessReport(argv, { KMS_CONFIG: fixture(configFile) }, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ALICE_GRANT = {
  address: 'aws_kms_grant.key_grant_alice_encrypt',
  name: 'alice-encrypt',
  key: 'aws_kms_key.key',
  granteePrincipal: 'arn:aws:iam::123456789012:user/alice',
  operations: ['Encrypt', 'GenerateDataKey', 'RetireGrant'],
  // Written with a __proto__ key (so synthesized as a tomap expression) and a literal "${x}".
  constraints: [{ encryptionContextEquals: JSON.parse('{"__proto__":"kept","Project":"costs ${x}"}') as Record<string, string> }],
  findings: [],
  risky: false,
};

const BATCH_GRANT = {
  address: 'aws_kms_grant.key_grant_batch_decrypt',
  name: 'batch-decrypt',
  key: 'aws_kms_key.key',
  granteePrincipal: 'arn:aws:iam::123456789012:role/batch',
  operations: ['Decrypt', 'DescribeKey'],
  retiringPrincipal: 'arn:aws:iam::123456789012:role/ops',
  constraints: [{ encryptionContextSubset: { Department: 'finance' } }],
  findings: [],
  risky: false,
};

describe('a config with KMS grants, administrators and users (access-grants.json)', () => {
  it('passes, and the text lists one row per grant: grantee, operations, constraints, retiring principal', async () => {
    const { code, out } = await run([], 'access-grants.json');
    expect(code).toBe(0);
    const section = out
      .slice(out.indexOf(`${KMS_GRANTS_HEADING}:`))
      .split('\n')
      .slice(0, 4);
    expect(section).toEqual([
      'KMS grants (evaluated by KMS outside IAM and key policies; not simulated):',
      expect.stringMatching(/^ {2}name +grantee +operations +constraints +retiring principal$/),
      expect.stringMatching(
        /^ {2}alice-encrypt +arn:aws:iam::123456789012:user\/alice +Encrypt, GenerateDataKey, RetireGrant +EncryptionContextEquals \{"__proto__":"kept","Project":"costs \$\{x\}"\} +none$/,
      ),
      expect.stringMatching(
        /^ {2}batch-decrypt +arn:aws:iam::123456789012:role\/batch +Decrypt, DescribeKey +EncryptionContextSubset \{"Department":"finance"\} +arn:aws:iam::123456789012:role\/ops$/,
      ),
    ]);
    expect(out).not.toMatch(/Risky/);
    expect(out).toMatch(/Result: OK$/);
  });

  it('--json lists them in kmsGrants of the environment, with findings and risky', async () => {
    const { code, out } = await run(['--json'], 'access-grants.json');
    expect(code).toBe(0);
    const [prod] = (JSON.parse(out) as JsonReport).environments;
    expect(prod.kmsGrants).toEqual([ALICE_GRANT, BATCH_GRANT]);
    expect(prod).toMatchObject({ environment: 'prod', riskyKmsGrants: 0, replicaKeys: [], ok: true });
  });

  it('reads the grants from the synthesized stack, not from the config', async () => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    const batch = edited.resource!.aws_kms_grant.key_grant_batch_decrypt;
    batch.operations = ['Decrypt'];
    delete batch.retiring_principal;
    delete batch.constraints;
    const result = await report(environment, edited);
    expect(result.kmsGrants[1]).toEqual({ ...BATCH_GRANT, operations: ['Decrypt'], retiringPrincipal: undefined, constraints: [] });
    expect(result.kmsGrants[1]).not.toHaveProperty('retiringPrincipal');
    expect(result.ok).toBe(true);
  });

  it('a stack without grants says so', async () => {
    const { code, out } = await run([], 'access-admins-users.json');
    expect(code).toBe(0);
    expect(out).toContain(`${KMS_GRANTS_HEADING}: none.`);
  });
});

describe('reading aws_kms_grant from the synthesized JSON', () => {
  const LAMBDA_ROLE: RenderedRole = {
    address: 'aws_iam_role.lambda_role',
    name: 'lambda-secrets-role',
    arn: 'arn:aws:iam::111122223333:role/service-role/lambda-secrets-role',
    inlinePolicies: [],
    managedPolicyArns: [],
  };
  const stackWith = (grant: Record<string, unknown>): SynthesizedStack => ({
    resource: {
      aws_kms_grant: {
        key_grant_g: {
          name: 'g',
          key_id: '${aws_kms_key.key.key_id}',
          grantee_principal: 'arn:aws:iam::111122223333:role/batch',
          operations: ['Decrypt'],
          ...grant,
        },
      },
    },
  });
  const read = (grant: Record<string, unknown>) => renderKmsGrants(stackWith(grant), US_EAST_1_PLACEHOLDERS, [LAMBDA_ROLE]);

  it('turns Terraform escapes ($${, %%{) back into the text they stand for', () => {
    const [grant] = read({ constraints: [{ encryption_context_subset: { 'a$${b}': 'c%%{d}', e: 'f' } }] });
    expect(grant.constraints).toEqual([{ encryptionContextSubset: { 'a${b}': 'c%{d}', e: 'f' } }]);
  });

  it('reads a tomap expression, keeping __proto__ as a key and quotes, commas and = inside strings', () => {
    const [grant] = read({ constraints: [{ encryption_context_equals: '${tomap({"__proto__" = "x", "a, \\"b\\" = c" = "$${d}, e"})}' }] });
    const map = grant.constraints[0].encryptionContextEquals!;
    expect(Object.keys(map)).toEqual(['__proto__', 'a, "b" = c']);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(map).toEqual(JSON.parse('{"__proto__":"x","a, \\"b\\" = c":"${d}, e"}'));
  });

  it('stands in for a role this stack creates, the account and the partition', () => {
    const [grant] = read({
      grantee_principal: '${aws_iam_role.lambda_role.arn}',
      retiring_principal: 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/ops',
    });
    expect(grant).toMatchObject({ granteePrincipal: LAMBDA_ROLE.arn, retiringPrincipal: 'arn:aws:iam::111122223333:role/ops' });
  });

  it('names the key a grant is on', () => {
    expect(read({})[0].key).toBe('aws_kms_key.key');
    expect(read({ key_id: '${aws_kms_replica_key.key_us_west_2.arn}' })[0].key).toBe('aws_kms_replica_key.key_us_west_2');
    expect(read({ key_id: '1234abcd-12ab-34cd-56ef-1234567890ab' })[0].key).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a reference it has no stand-in for',
      { grantee_principal: '${aws_iam_user.bob.arn}' },
      'aws_kms_grant.key_grant_g.grantee_principal: ${aws_iam_user.bob.arn} is a Terraform expression the report cannot stand in for; expected a literal, or a reference to a role this stack creates, the account, the partition or the region',
    ],
    [
      'an unknown constraint',
      { constraints: [{ encryption_context_superset: { a: 'b' } }] },
      'aws_kms_grant.key_grant_g.constraints[0].encryption_context_superset: not a constraint the report knows; allowed: encryption_context_equals, encryption_context_subset',
    ],
    [
      'a constraint map it cannot read',
      { constraints: [{ encryption_context_equals: '${merge(local.a, local.b)}' }] },
      'aws_kms_grant.key_grant_g.constraints[0].encryption_context_equals: "${merge(local.a, local.b)}" is neither a map of strings nor a ${tomap({...})} expression the report can read',
    ],
    [
      'operations that are not a list',
      { operations: 'Decrypt' },
      'aws_kms_grant.key_grant_g.operations: "Decrypt" is not a list of KMS grant operations',
    ],
  ])('refuses %s, naming the attribute', (_label, grant, message) => {
    expect(() => read(grant)).toThrow(message);
  });
});

describe('a stack with replica keys and additional aliases (access-replicas-aliases.json)', () => {
  it('is reported without error: the primary key and its grant are evaluated, the replicas named as not evaluated', async () => {
    const { code, out, err } = await run([], 'access-replicas-aliases.json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^role global-secrets-reader · via secretsmanager +C +\. +C /m);
    expect(out).toMatch(/^ {2}reporting +arn:aws:iam::111122223333:role\/reporting +Decrypt +none +none$/m);
    expect(out).toContain(
      "Not evaluated: the replica keys aws_kms_replica_key.key_eu_central_1, aws_kms_replica_key.key_us_west_2 (their policies are the primary's, moved to their regions; terraform plan shows them).",
    );
    expect(out).toMatch(/Result: OK$/);
  });

  it('lists the replicas in the JSON too', async () => {
    const { code, out } = await run(['--json'], 'access-replicas-aliases.json');
    expect(code).toBe(0);
    const [global] = (JSON.parse(out) as JsonReport).environments;
    expect(global).toMatchObject({
      replicaKeys: ['aws_kms_replica_key.key_eu_central_1', 'aws_kms_replica_key.key_us_west_2'],
      riskyKmsGrants: 0,
      lint: [],
      ok: true,
    });
  });
});
