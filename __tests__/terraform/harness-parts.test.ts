/** The harness's parts that need no Terraform: tool discovery, the override, the STS stand-in, the limiter. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingToolsMessage, terraformAvailability, terraformRequired } from '../../tools/terraform/availability';
import { createMachineLimiter, machineSlots } from '../../tools/terraform/concurrency';
import { OfflineHarness } from '../../tools/terraform/harness';
import { mirrorCliConfig } from '../../tools/terraform/mirror';
import { offlineTerraformEnv } from '../../tools/terraform/offline-env';
import { offlineOverride } from '../../tools/terraform/offline-override';
import { accountForAccessKeyId, DEFAULT_OFFLINE_ACCOUNT_ID, offlineAccessKeyId, startStsStandIn } from '../../tools/terraform/sts-stand-in';

describe('finding Terraform and the mirror', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tf-parts-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('names both missing tools', () => {
    const result = terraformAvailability({ PATH: dir });
    expect(result).toEqual({
      available: false,
      missing: [
        'the Terraform CLI (`terraform`) is not on the PATH',
        'TF_PROVIDER_MIRROR is not set (the folder that holds registry.terraform.io/hashicorp/aws)',
      ],
    });
  });

  test('a mirror without the AWS provider, or without the wanted version, is missing', () => {
    expect(terraformAvailability({ PATH: dir, TF_PROVIDER_MIRROR: dir })).toMatchObject({
      missing: expect.arrayContaining([`TF_PROVIDER_MIRROR=${dir} holds no registry.terraform.io/hashicorp/aws`]),
    });
    mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.99.0'), { recursive: true });
    expect(terraformAvailability({ PATH: dir, TF_PROVIDER_MIRROR: dir }, '5.100.0')).toMatchObject({
      missing: expect.arrayContaining([`TF_PROVIDER_MIRROR=${dir} holds registry.terraform.io/hashicorp/aws 5.99.0, not 5.100.0`]),
    });
  });

  test('REQUIRE_TERRAFORM=1 turns the skip message into a failure message', () => {
    expect(terraformRequired({ REQUIRE_TERRAFORM: '1' })).toBe(true);
    expect(terraformRequired({})).toBe(false);
    expect(missingToolsMessage(['x is missing'], true)).toMatch(
      /^REQUIRE_TERRAFORM=1 but the Terraform tests cannot run:\n {2}- x is missing/,
    );
    expect(missingToolsMessage(['x is missing'], false)).toMatch(/^SKIPPING the Terraform tests/);
  });

  test('the CLI configuration installs registry providers from the mirror only', () => {
    const text = mirrorCliConfig('/mirror');
    expect(text).toMatch(/filesystem_mirror \{\n\s+path\s+= "\/mirror"\n\s+include = \["registry.terraform.io\/\*\/\*"\]/);
    expect(text).toMatch(/direct \{\n\s+exclude = \["registry.terraform.io\/\*\/\*"\]/);
  });
});

describe('the offline environment and override', () => {
  test('drops the caller’s AWS and Terraform settings and refuses every proxied request', () => {
    const env = offlineTerraformEnv('/tmp/x.tfrc', {
      PATH: '/bin',
      AWS_PROFILE: 'prod',
      AWS_ENDPOINT_URL: 'https://example.com',
      TF_PLUGIN_CACHE_DIR: '/cache',
      TF_WORKSPACE: 'prod',
      TF_LOG: 'debug',
      https_proxy: 'http://proxy:3128',
    });
    expect(env).toEqual({
      PATH: '/bin',
      TF_LOG: 'debug',
      TF_CLI_CONFIG_FILE: '/tmp/x.tfrc',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1,localhost',
      GOGC: '400',
    });
  });

  test('a GOGC the caller sets is kept', () => {
    expect(offlineTerraformEnv('/tmp/x.tfrc', { GOGC: '150' }).GOGC).toBe('150');
  });

  test('keeps credential validation and the account lookup on, so allowed_account_ids still works', () => {
    const override = offlineOverride({ stsEndpoint: 'http://127.0.0.1:4000', accessKeyId: offlineAccessKeyId('123456789012') }) as {
      provider: { aws: Record<string, unknown> };
      terraform: unknown;
    };
    expect(override.provider.aws).toMatchObject({
      access_key: 'OFFLINE123456789012',
      skip_credentials_validation: false,
      skip_requesting_account_id: false,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      endpoints: [{ sts: 'http://127.0.0.1:4000' }],
    });
    expect(override.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } } });
  });

  test('refuses an STS endpoint off this machine', () => {
    expect(() => offlineOverride({ stsEndpoint: 'https://sts.amazonaws.com', accessKeyId: 'x' })).toThrow(/must be a loopback address/);
  });
});

describe('the STS stand-in', () => {
  test('answers GetCallerIdentity with the account named by the access key, and nothing else', async () => {
    const sts = await startStsStandIn();
    try {
      const call = (action: string, key: string) =>
        fetch(sts.endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
          },
          body: `Action=${action}&Version=2011-06-15`,
        });
      const identity = await call('GetCallerIdentity', offlineAccessKeyId('210987654321'));
      expect(identity.status).toBe(200);
      expect(await identity.text()).toMatch(/<Account>210987654321<\/Account>/);
      const other = await call('AssumeRole', 'AKIAEXAMPLE');
      expect(other.status).toBe(400);
      expect(await other.text()).toMatch(/only answers GetCallerIdentity, not AssumeRole/);
      expect(sts.requests).toEqual([
        { action: 'GetCallerIdentity', accessKeyId: 'OFFLINE210987654321' },
        { action: 'AssumeRole', accessKeyId: 'AKIAEXAMPLE' },
      ]);
    } finally {
      await sts.close();
    }
  });

  test('keys that name no account get the default account', () => {
    expect(accountForAccessKeyId('AKIAEXAMPLE')).toBe(DEFAULT_OFFLINE_ACCOUNT_ID);
    expect(() => offlineAccessKeyId('123')).toThrow(/not a 12-digit AWS account id/);
  });
});

describe('the machine-wide limiter (one bound for every jest worker)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tf-slots-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('two limiters on one folder (as two processes would be) together never exceed the slots', async () => {
    const limiters = [createMachineLimiter({ slots: 2, dir, pollMs: 5 }), createMachineLimiter({ slots: 2, dir, pollMs: 5 })];
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        limiters[n % 2](async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running--;
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    // Every slot is given back.
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a failing task gives its slot back', async () => {
    const limit = createMachineLimiter({ slots: 1, dir, pollMs: 5 });
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  test('a slot left by a killed process is taken over once stale, and not before', async () => {
    const left = join(dir, 'slot-0.lock');
    mkdirSync(left);
    const limit = createMachineLimiter({ slots: 1, dir, pollMs: 5 });
    let ran = false;
    const waiting = limit(async () => (ran = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran).toBe(false);
    const old = new Date(Date.now() - 60_000);
    utimesSync(left, old, old);
    await waiting;
    expect(ran).toBe(true);
  });

  test('TERRAFORM_SLOTS sets the number of slots; anything but a whole number from 1 is refused', () => {
    expect(machineSlots({ TERRAFORM_SLOTS: '3' })).toBe(3);
    expect(machineSlots({})).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '-1', '1.5', 'two', '1e3']) {
      expect(() => machineSlots({ TERRAFORM_SLOTS: bad })).toThrow(`TERRAFORM_SLOTS must be a whole number from 1 to 999, got "${bad}"`);
    }
  });
});

describe('adding a synthesized stack folder (JSON or HCL) to the harness', () => {
  let dir: string;
  let harness: OfflineHarness;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-add-'));
    harness = await OfflineHarness.start({ terraformBinary: '', mirrorRoot: dir });
  });
  afterAll(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const stackFolder = (name: string, files: Record<string, string>) => {
    mkdirSync(join(dir, name), { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, name, file), content);
    return join(dir, name);
  };
  const stackJson = JSON.stringify({
    provider: {
      aws: [
        { region: 'eu-west-1', allowed_account_ids: ['444455556666'] },
        { alias: 'us_west_2', region: 'us-west-2' },
      ],
    },
    terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
  });
  const overrideOf = (stackDir: string) => JSON.parse(readFileSync(join(stackDir, 'zz_offline_override.tf.json'), 'utf8'));

  test('cdk.tf.json: the account and the provider aliases come from it', () => {
    const stack = harness.addStack(stackFolder('json', { 'cdk.tf.json': stackJson }), { name: 'json', planDir: dir });
    expect(stack.callerAccountId).toBe('444455556666');
    expect(overrideOf(stack.dir).provider.aws.map((p: { alias?: string }) => p.alias)).toEqual([undefined, 'us_west_2']);
  });

  test('cdk.tf: read through its JSON twin, and refused without one', () => {
    const folder = stackFolder('hcl', { 'cdk.tf': 'terraform {}\n', 'metadata.json': '{}' });
    expect(() => harness.addStack(folder, { name: 'hcl', planDir: dir })).toThrow(
      `${folder} holds HCL (cdk.tf); pass the same stack synthesized as JSON as addStack's jsonTwin`,
    );
    const twin = join(stackFolder('twin', { 'cdk.tf.json': stackJson }), 'cdk.tf.json');
    const stack = harness.addStack(folder, { name: 'hcl', planDir: dir, jsonTwin: twin });
    expect(stack.callerAccountId).toBe('444455556666');
    expect(readFileSync(join(stack.dir, 'cdk.tf'), 'utf8')).toBe('terraform {}\n');
  });

  test('both formats in one folder, or neither, is refused', () => {
    const both = stackFolder('both', { 'cdk.tf.json': stackJson, 'cdk.tf': '' });
    expect(() => harness.addStack(both, { name: 'both', planDir: dir })).toThrow(
      `${both} holds both cdk.tf.json and cdk.tf; Terraform would read both and define everything twice`,
    );
    const none = stackFolder('none', { 'notes.md': '' });
    expect(() => harness.addStack(none, { name: 'none', planDir: dir })).toThrow(
      `${none} holds neither cdk.tf.json nor cdk.tf: not a synthesized stack folder`,
    );
  });

  test('a stack whose providers are not what Terraform JSON holds is refused naming the field (zod, not a cast)', () => {
    const bad = stackFolder('bad', { 'cdk.tf.json': JSON.stringify({ provider: { aws: [{ allowed_account_ids: '444455556666' }] } }) });
    expect(() => harness.addStack(bad, { name: 'bad', planDir: dir })).toThrow(/provider\.aws/);
  });
});
