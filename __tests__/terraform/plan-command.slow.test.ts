/**
 * `npm run plan -- <environment>` end to end with the real Terraform CLI and provider (from the
 * mirror): it synthesizes, plans with the credentials in the environment and writes
 * cdktf.out/plans/<environment>.plan.json. The credentials are fake; their STS calls go to the
 * loopback stand-in through AWS_ENDPOINT_URL_STS, as a user's real credentials would go to AWS. A
 * slow suite: the plan itself is proved by default-environment.test.ts, and the command's handling
 * of Terraform by plan-command.test.ts with a stand-in CLI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraformSlots } from '../../tools/terraform/concurrency';
import { describeWithTerraform } from '../../tools/terraform/jest-support';
import { offlineTerraformEnv } from '../../tools/terraform/offline-env';
import { knownString, type PlanJson } from '../../tools/terraform/plan-json';
import { offlineAccessKeyId, startStsStandIn, type StsStandIn } from '../../tools/terraform/sts-stand-in';
import { runPlanCommand } from '../../tools/terraform/user-plan';
import { capture } from './plan-command-context';

// One synth, init, plan and show.
jest.setTimeout(120_000);

describeWithTerraform('npm run plan: a full run', (tools) => {
  let cwd: string;
  let sts: StsStandIn;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'plan-run-'));
    writeFileSync(join(cwd, 'cdktf.json'), '{}');
    sts = await startStsStandIn();
  });
  afterAll(async () => {
    await sts?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  test('synthesizes, plans with the environment’s credentials and writes cdktf.out/plans/tutorial.plan.json', async () => {
    const env: NodeJS.ProcessEnv = {
      ...offlineTerraformEnv('unused'),
      TF_CLI_CONFIG_FILE: undefined,
      TF_PROVIDER_MIRROR: tools.mirrorRoot,
      TERRAFORM_BINARY_NAME: tools.terraformBinary,
      AWS_ACCESS_KEY_ID: offlineAccessKeyId('444455556666'),
      AWS_SECRET_ACCESS_KEY: 'offline-secret-key',
      AWS_ENDPOINT_URL_STS: sts.endpoint,
    };
    delete env.TF_CLI_CONFIG_FILE;
    const context = capture(cwd, env);
    // init, plan and show hold one machine-wide Terraform slot, as the harness's commands do.
    const code = await terraformSlots()(() => runPlanCommand(['tutorial'], context));
    expect({ code, err: context.err }).toEqual({ code: 0, err: [] });
    const file = join(cwd, 'cdktf.out', 'plans', 'tutorial.plan.json');
    expect(context.out.at(-1)).toBe(`Plan JSON for tutorial: ${join('cdktf.out', 'plans', 'tutorial.plan.json')}`);
    expect(existsSync(file)).toBe(true);
    const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
    // The account comes from the credentials' caller identity, not from the harness.
    expect(knownString(plan, 'aws_kms_key.key', 'policy')).toContain('arn:aws:iam::444455556666:root');
    // eslint-disable-next-line no-control-regex -- the pattern strips ANSI colour codes, which start with ESC
    const shown = context.out.join('\n').replace(/\u001b\[[0-9;]*m/g, '');
    expect(shown).toMatch(/Plan: 5 to add, 0 to change, 0 to destroy/);
    expect(sts.requests.length).toBeGreaterThan(0);
    // Terraform's working data went to cdktf.out/terraform-data, not into the stack folder.
    expect(existsSync(join(cwd, 'cdktf.out', 'stacks', 'tutorial', '.terraform'))).toBe(false);
    expect(existsSync(join(cwd, 'cdktf.out', 'terraform-data', 'tutorial', 'providers'))).toBe(true);
  });
});
