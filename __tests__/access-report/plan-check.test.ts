/**
 * `--plan DIR`: the key policy Terraform computed agrees with the rendering of the synthesized JSON
 * after normalisation. The plan files are built here by hand, in the shape of `terraform show -json`
 * (Terraform's policy JSON: single values as strings, its own key and list order).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlanFileError } from '../../tools/access-report/plan-check';
import { reportEnvironment } from '../../tools/access-report/report';
import { runAccessReport } from '../../tools/access-report/run';
import { single } from './helpers';

const ACCOUNT = '999988887777';

/** What Terraform's aws_iam_policy_document would compute for the default environment in ACCOUNT. */
function terraformKeyPolicy(lambdaActions: string[] = ['kms:GenerateDataKey', 'kms:Decrypt']): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIamUserPermissions',
        Effect: 'Allow',
        Action: 'kms:*',
        Resource: '*',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      },
      {
        Sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
        Effect: 'Allow',
        Action: lambdaActions,
        Resource: '*',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/service-role/lambda-secrets-role` },
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT },
          StringLike: { 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/*` },
        },
      },
    ],
  });
}

function planJson(policy: string | undefined): unknown {
  return {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          { address: 'aws_kms_alias.key', type: 'aws_kms_alias', name: 'key', values: { name: 'alias/secrets-manager-encryption-key' } },
          { address: 'aws_kms_key.key', type: 'aws_kms_key', name: 'key', values: { policy, enable_key_rotation: true } },
        ],
      },
    },
    prior_state: {
      values: { root_module: { resources: [{ address: 'data.aws_caller_identity.current', values: { account_id: ACCOUNT } }] } },
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'access-report-plan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePlan = (policy: string | undefined) => writeFileSync(join(dir, 'tutorial.plan.json'), JSON.stringify(planJson(policy)));
const quiet = { out: () => {}, err: () => {} };

describe('--plan DIR', () => {
  it('agrees with the planned key policy (rendered with the plan’s account) and passes', async () => {
    writePlan(terraformKeyPolicy());
    const { environment, stack } = single();
    const result = await reportEnvironment(environment, stack, { strict: false, planDir: dir });
    expect(result.plan).toEqual({ file: join(dir, 'tutorial.plan.json'), agrees: true });
    expect(result.ok).toBe(true);
    await expect(runAccessReport(['--plan', dir], {}, quiet)).resolves.toBe(0);
  });

  it('fails when the planned policy differs from the rendering', async () => {
    writePlan(terraformKeyPolicy(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt']));
    const { environment, stack } = single();
    const result = await reportEnvironment(environment, stack, { strict: false, planDir: dir });
    expect(result.plan?.agrees).toBe(false);
    expect(result.plan?.planned?.Statement[1].Action).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(result.ok).toBe(false);
    await expect(runAccessReport(['--plan', dir], {}, quiet)).resolves.toBe(1);
  });

  it('refuses a plan whose key policy is unknown until apply', async () => {
    writePlan(undefined);
    const { environment, stack } = single();
    await expect(reportEnvironment(environment, stack, { strict: false, planDir: dir })).rejects.toThrow(PlanFileError);
    await expect(reportEnvironment(environment, stack, { strict: false, planDir: dir })).rejects.toThrow(
      /aws_kms_key\.key\.policy is unknown until apply/,
    );
  });

  it('refuses a plan file that is not a plan, naming the file and the bad field; the command exits 2', async () => {
    const plan = planJson(terraformKeyPolicy()) as { planned_values: { root_module: { resources: Record<string, unknown>[] } } };
    plan.planned_values.root_module.resources[1].address = 42;
    writeFileSync(join(dir, 'tutorial.plan.json'), JSON.stringify(plan));
    const { environment, stack } = single();
    const file = join(dir, 'tutorial.plan.json');
    await expect(reportEnvironment(environment, stack, { strict: false, planDir: dir })).rejects.toThrow(
      new PlanFileError(
        `${file}: planned_values.root_module.resources[1].address: expected a string, got 42; expected the output of \`terraform show -json\` of the environment's plan (npm run plan)`,
      ),
    );
    const errors: string[] = [];
    await expect(runAccessReport(['--plan', dir], {}, { out: () => {}, err: (t) => errors.push(t) })).resolves.toBe(2);
    expect(errors).toEqual([
      expect.stringContaining(`${file}: planned_values.root_module.resources[1].address: expected a string, got 42`),
    ]);
  });

  it('refuses a plan file that is not JSON, naming the file', async () => {
    writeFileSync(join(dir, 'tutorial.plan.json'), '{"planned_values": ');
    const { environment, stack } = single();
    await expect(reportEnvironment(environment, stack, { strict: false, planDir: dir })).rejects.toThrow(
      new RegExp(`^${join(dir, 'tutorial.plan.json').replace(/[.]/g, '\\.')}: not valid JSON: `),
    );
  });

  it('refuses a planned key policy that is not a policy document, naming the file and the statement field', async () => {
    writePlan(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'kms:*', Resource: '*', Principal: { AWS: [7] } }],
      }),
    );
    const { environment, stack } = single();
    await expect(reportEnvironment(environment, stack, { strict: false, planDir: dir })).rejects.toThrow(
      new PlanFileError(
        `${join(dir, 'tutorial.plan.json')}: the planned key policy: Statement[0].Principal.AWS[0]: expected a string, got 7`,
      ),
    );
  });

  it('exits 2 when the plan file is missing', async () => {
    const errors: string[] = [];
    await expect(runAccessReport(['--plan', dir], {}, { out: () => {}, err: (t) => errors.push(t) })).resolves.toBe(2);
    expect(errors.join()).toMatch(/tutorial\.plan\.json does not exist/);
  });
});
