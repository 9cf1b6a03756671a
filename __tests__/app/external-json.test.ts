/**
 * JSON read from outside the program (plan JSON, synthesized stacks, the output lock's holder file,
 * AWS answers kept as JSON, jest's report, package.json files) is checked with a zod schema: what
 * does not match is an error naming the file or source and the path of the bad field, never a cast
 * that fails later.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describeHolder, lockPaths, OutputLockBusyError, readHolder, withOutputLock } from '../../app/output-lock';
import { ConfigError, ExternalJsonError, parseExternalJson } from '../../config/errors';
import { renderKmsGrants } from '../../tools/access-report/kms-grants';
import { PLACEHOLDER_KEY_ID, type Placeholders } from '../../tools/access-report/placeholders';
import { renderKey } from '../../tools/access-report/rendered-policies';
import { runAccessReport } from '../../tools/access-report/run';
import { installedVersion } from '../../tools/bench/machine';
import { readJestReport } from '../../tools/bench/test-timing';
import { parsePolicyJson, readJsonFile } from '../../tools/lib/external-json';
import { readSynthesizedStack, stackFile, type SynthesizedStack } from '../../tools/lib/synthesized';
import { startKmsStandIn } from '../../tools/terraform/kms-stand-in';
import { writePlanJson } from '../../tools/terraform/plan-output';
import { plannedRegions } from '../../tools/terraform/region-probe';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'external-json-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The error `work` throws (failing the test when it throws none). */
function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('the parser: every problem names the source and the field', () => {
  const schema = z.looseObject({
    name: z.string(),
    mode: z.enum(['managed', 'data']),
    items: z.array(z.looseObject({ n: z.number() })).optional(),
  });

  test('a field of the wrong type, a missing field and a value not allowed, each with its path', () => {
    const error = thrown(() => parseExternalJson(schema, JSON.stringify({ mode: 'other', items: [{ n: 1 }, { n: '2' }] }), 'some.json'));
    expect(error).toBeInstanceOf(ExternalJsonError);
    expect((error as ExternalJsonError).problems).toEqual([
      'name: is required',
      'mode: "other" is not one of "managed", "data"',
      'items[1].n: expected a number, got "2"',
    ]);
    expect((error as ExternalJsonError).oneLine).toBe(
      'some.json: name: is required; mode: "other" is not one of "managed", "data"; items[1].n: expected a number, got "2"',
    );
  });

  test('text that is not JSON says so, naming the source', () => {
    expect((thrown(() => parseExternalJson(schema, '{"name": ', 'some.json')) as ExternalJsonError).oneLine).toMatch(
      /^some\.json: not valid JSON: /,
    );
  });

  test('fields the schema does not describe are kept as they are', () => {
    expect(parseExternalJson(schema, '{"name":"a","mode":"data","extra":{"x":[1]}}', 'some.json')).toEqual({
      name: 'a',
      mode: 'data',
      extra: { x: [1] },
    });
  });

  test('is a ConfigError, so every command exits 2 on it with its message', () => {
    expect(thrown(() => parseExternalJson(schema, '[]', 'some.json'))).toBeInstanceOf(ConfigError);
  });

  test('lists at most ten problems', () => {
    const items = Array.from({ length: 25 }, () => ({ n: 'x' }));
    const { problems } = thrown(() =>
      parseExternalJson(schema, JSON.stringify({ name: 'a', mode: 'data', items }), 'big.json'),
    ) as ExternalJsonError;
    expect(problems).toHaveLength(11);
    expect(problems.at(-1)).toBe('... and 15 more');
  });

  test('a file that cannot be read names the file and why', () => {
    expect((thrown(() => readJsonFile(schema, join(dir, 'missing.json'))) as ExternalJsonError).oneLine).toBe(
      `${join(dir, 'missing.json')}: cannot be read: no such file`,
    );
  });
});

describe('AWS policy documents kept as JSON', () => {
  test('a statement field of the wrong kind is named by its index and field', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'kms:*' },
        { Effect: 'Deny', Action: ['kms:*'], Resource: 5 },
      ],
    });
    expect((thrown(() => parsePolicyJson(text, 'the answer')) as ExternalJsonError).oneLine).toBe(
      'the answer: Statement[1].Resource: expected a string or a list, got 5',
    );
  });

  test('a single statement object is read as a list of one; condition numbers and booleans as their text', () => {
    const policy = parsePolicyJson(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: 'kms:*', Condition: { NumericLessThan: { 'kms:X': 5 }, Bool: { 'aws:Y': [true] } } },
      }),
      'x',
    );
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Action: 'kms:*', Condition: { NumericLessThan: { 'kms:X': '5' }, Bool: { 'aws:Y': ['true'] } } },
    ]);
  });
});

describe('plan JSON written by npm run plan (terraform show -json)', () => {
  test('output that is not a plan names the bad field, and no file is written', () => {
    const file = join(dir, 'plans', 'dev.plan.json');
    const show = JSON.stringify({
      planned_values: { root_module: { resources: [{ address: 'aws_kms_key.key', mode: 'managed', type: 'aws_kms_key', values: {} }] } },
    });
    expect((thrown(() => writePlanJson(file, show)) as ExternalJsonError).oneLine).toBe(
      'the output of `terraform show -json`: planned_values.root_module.resources[0].name: is required',
    );
    expect((thrown(() => writePlanJson(file, '{"format_version":"1.2"}')) as ExternalJsonError).problems).toEqual([
      'planned_values: is required',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a plan is written as Terraform printed it and returned parsed', () => {
    const file = join(dir, 'plans', 'dev.plan.json');
    const show = JSON.stringify({
      format_version: '1.2',
      planned_values: { root_module: { resources: [{ address: 'a.b', mode: 'data', type: 'a', name: 'b', values: { x: 1 } }] } },
    });
    expect(writePlanJson(file, show).planned_values.root_module?.resources?.[0].values).toEqual({ x: 1 });
  });

  test('a resource with nothing known yet (Terraform leaves out `values`) reads as no known values', () => {
    const file = join(dir, 'plans', 'dev.plan.json');
    const show = JSON.stringify({
      planned_values: {
        root_module: { resources: [{ address: 'aws_sns_topic_policy.p', mode: 'managed', type: 'aws_sns_topic_policy', name: 'p' }] },
      },
    });
    expect(writePlanJson(file, show).planned_values.root_module?.resources?.[0].values).toEqual({});
  });
});

describe('the region probe’s plan', () => {
  test('an output that is unknown or of the wrong shape names the field', () => {
    const plan = (value: unknown) => JSON.stringify({ planned_values: { outputs: { partitions: value === undefined ? {} : { value } } } });
    expect((thrown(() => plannedRegions(plan(undefined), 'probe a')) as ExternalJsonError).oneLine).toBe(
      'terraform show -json of probe a: planned_values.outputs.partitions.value: is required',
    );
    expect((thrown(() => plannedRegions(plan({ 'us-east-1': { partition: 'aws' } }), 'probe a')) as ExternalJsonError).oneLine).toBe(
      'terraform show -json of probe a: planned_values.outputs.partitions.value.us-east-1.dns_suffix: is required',
    );
    expect(plannedRegions(plan({ 'us-east-1': { partition: 'aws', dns_suffix: 'amazonaws.com' } }))).toEqual({
      'us-east-1': { partition: 'aws', dnsSuffix: 'amazonaws.com' },
    });
  });
});

describe('synthesized stacks read from an output folder', () => {
  const stack = (json: unknown) => {
    mkdirSync(join(dir, 'stacks', 'dev'), { recursive: true });
    writeFileSync(stackFile(dir, 'dev'), JSON.stringify(json));
  };

  test('a policy document block that is not what synth writes names the file and the field', () => {
    stack({ data: { aws_iam_policy_document: { key_policy: { statement: [{ actions: 'kms:*' }] } } } });
    expect((thrown(() => readSynthesizedStack(dir, 'dev')) as ExternalJsonError).oneLine).toBe(
      `${stackFile(dir, 'dev')}: data.aws_iam_policy_document.key_policy.statement[0].actions: expected a list, got "kms:*"`,
    );
  });

  test('a resource that is not an object names the file and the resource', () => {
    stack({ resource: { aws_kms_key: { key: 'x' } } });
    expect((thrown(() => readSynthesizedStack(dir, 'dev')) as ExternalJsonError).problems).toEqual([
      'resource.aws_kms_key.key: expected an object, got "x"',
    ]);
  });

  test('attributes are kept as they are, a __proto__ key included', () => {
    mkdirSync(join(dir, 'stacks', 'dev'), { recursive: true });
    writeFileSync(stackFile(dir, 'dev'), '{"resource":{"aws_kms_key":{"key":{"tags":{"__proto__":"x"}}}}}');
    const tags = readSynthesizedStack(dir, 'dev').resource?.aws_kms_key.key.tags as Record<string, string>;
    expect(Object.keys(tags)).toEqual(['__proto__']);
  });

  test('a missing stack says to synthesize', () => {
    expect(thrown(() => readSynthesizedStack(dir, 'dev')).message).toBe(
      `${stackFile(dir, 'dev')} does not exist; run \`npm run synth\` first`,
    );
  });

  test('a folder holding only cdk.tf (HCL) says how to get JSON; the access report exits 2 with it', async () => {
    mkdirSync(join(dir, 'stacks', 'tutorial'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'tutorial', 'cdk.tf'), 'terraform {}\n');
    const message =
      `${stackFile(dir, 'tutorial')} does not exist: the folder holds cdk.tf (HCL, from \`npm run synth -- --hcl\`) and this command reads JSON; ` +
      'run `npm run synth` without --hcl, or drop --outdir to synthesize afresh';
    expect(thrown(() => readSynthesizedStack(dir, 'tutorial')).message).toBe(message);
    const err: string[] = [];
    expect(await runAccessReport(['--outdir', dir], {}, { out: () => undefined, err: (line) => err.push(line) })).toBe(2);
    expect(err).toEqual([`npm run access-report: ${message} (see --help)`]);
  });
});

describe('policies and grants inside a synthesized stack', () => {
  const placeholders: Placeholders = {
    accountId: '111122223333',
    otherAccountId: '444455556666',
    partition: 'aws',
    region: 'us-east-1',
    keyArn: `arn:aws:kms:us-east-1:111122223333:key/${PLACEHOLDER_KEY_ID}`,
  };

  test('a literal key policy that is not a policy document names the key and the field', () => {
    const stack: SynthesizedStack = {
      resource: {
        aws_kms_key: { key: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'kms:*' }] }) } },
      },
    };
    expect(() => renderKey(stack, {})).toThrow(
      'aws_kms_key.key.policy (literal policy JSON): Statement[0].Effect: "Maybe" is not one of "Allow", "Deny"; expected an aws_iam_policy_document reference or a policy document',
    );
  });

  test('a tomap string that JSON cannot read names the grant attribute', () => {
    const stack: SynthesizedStack = {
      resource: {
        aws_kms_grant: {
          g: {
            name: 'g',
            key_id: 'k',
            grantee_principal: 'arn:aws:iam::111122223333:role/r',
            operations: ['Decrypt'],
            constraints: [{ encryption_context_equals: '${tomap({"a\\x" = "b"})}' }],
          },
        },
      },
    };
    expect(() => renderKmsGrants(stack, placeholders, [])).toThrow(
      /^aws_kms_grant\.g\.constraints\[0\]\.encryption_context_equals \(a key\): cannot read "a\\x": not valid JSON: .*; expected a string quoted as JSON quotes it$/,
    );
  });
});

describe('the output lock’s holder file', () => {
  test('a holder file that is not what a synth writes is named, with its bad field, in the busy message', async () => {
    const outdir = join(dir, 'cdktf.out');
    const { holder } = lockPaths(outdir);
    await withOutputLock(outdir, { waitMs: 0, command: 'a test holding the lock' }, async () => {
      writeFileSync(holder, JSON.stringify({ pid: 'me', command: 'npm run synth', host: 'h', since: 'now' }));
      expect(readHolder(outdir)).toEqual({ problem: `${holder}: pid: expected a number, got "me"` });
      const waits: string[] = [];
      const second = withOutputLock(outdir, { waitMs: 0, command: 'second', onWait: (m) => waits.push(m) }, () => undefined);
      await expect(second).rejects.toThrow(OutputLockBusyError);
      await expect(second).rejects.toThrow(
        `is held by a process whose holder file cannot be used (${holder}: pid: expected a number, got "me")`,
      );
      writeFileSync(holder, '{"pid": 1');
      expect(describeHolder(readHolder(outdir))).toMatch(/^a process whose holder file cannot be used \(.*lock\.json: not valid JSON: /);
    });
  });

  test('no holder file is no holder yet', () => {
    expect(readHolder(join(dir, 'cdktf.out'))).toBeUndefined();
    expect(describeHolder(undefined)).toBe('a process that has not recorded itself yet');
  });
});

describe('the bench’s inputs', () => {
  test('a jest report that is not one names the file and the field', () => {
    const file = join(dir, 'jest-report.json');
    writeFileSync(
      file,
      JSON.stringify({
        numTotalTests: 1,
        numFailedTests: 0,
        numPendingTests: 0,
        testResults: [{ name: 'a.test.ts', status: 'passed', startTime: '0' }],
      }),
    );
    expect((thrown(() => readJestReport(file, dir)) as ExternalJsonError).oneLine).toBe(
      `jest's JSON report ${file}: testResults[0].startTime: expected a number, got "0"`,
    );
  });

  test('a jest report is read into files, slowest first', () => {
    const file = join(dir, 'jest-report.json');
    const results = [
      { name: join(dir, 'a.test.ts'), status: 'passed', startTime: 0, endTime: 1000 },
      { name: join(dir, 'b.test.ts'), status: 'failed', startTime: 0, endTime: 3000 },
    ];
    writeFileSync(file, JSON.stringify({ numTotalTests: 3, numFailedTests: 1, numPendingTests: 0, testResults: results }));
    expect(readJestReport(file, dir)).toEqual({
      files: [
        { file: 'b.test.ts', seconds: 3, passed: false },
        { file: 'a.test.ts', seconds: 1, passed: true },
      ],
      tests: 3,
      failedTests: 1,
      skippedTests: 0,
    });
  });

  test('a package version: unknown when not installed, the problem when its package.json has none', () => {
    expect(installedVersion(dir, 'tinybench')).toBe('unknown');
    mkdirSync(join(dir, 'node_modules', 'tinybench'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'tinybench', 'package.json'), '{"version": 6}');
    expect(installedVersion(dir, 'tinybench')).toBe(
      `unknown (${join(dir, 'node_modules', 'tinybench', 'package.json')}: version: expected a string, got 6)`,
    );
    writeFileSync(join(dir, 'node_modules', 'tinybench', 'package.json'), '{"version": "6.2.5"}');
    expect(installedVersion(dir, 'tinybench')).toBe('6.2.5');
  });
});

describe('the offline KMS stand-in’s request bodies', () => {
  test('a field of the wrong type is a ValidationException naming it; a body that is not JSON a SerializationException', async () => {
    const standIn = await startKmsStandIn({
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      accountId: '111122223333',
      region: 'us-east-1',
      description: 'd',
      rotation: { enabled: true, periodInDays: 365 },
      tags: {},
      policy: '{}',
      aliases: ['alias/a'],
    });
    try {
      const call = async (body: string) => {
        const response = await fetch(standIn.endpoint, {
          method: 'POST',
          headers: { 'X-Amz-Target': 'TrentService.DescribeKey', 'Content-Type': 'application/x-amz-json-1.1' },
          body,
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await call(JSON.stringify({ KeyId: 7 }))).toEqual({
        status: 400,
        body: { __type: 'ValidationException', message: 'the request body of DescribeKey: KeyId: expected a string, got 7' },
      });
      expect(await call('{"KeyId": ')).toMatchObject({
        status: 400,
        body: { __type: 'SerializationException', message: expect.stringMatching(/^the request body of DescribeKey: not valid JSON/) },
      });
      expect(await call(JSON.stringify({ KeyId: 'alias/a' }))).toMatchObject({
        status: 200,
        body: { KeyMetadata: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } },
      });
      expect(standIn.requests.map((r) => r.keyId)).toEqual([undefined, undefined, 'alias/a']);
    } finally {
      await standIn.close();
    }
  });
});
