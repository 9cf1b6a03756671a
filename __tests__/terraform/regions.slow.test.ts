/**
 * The proof of policy/regions.ts: the mirrored hashicorp/aws 5.100.0 itself, offline, with its
 * region validation on, accepts every region of the table (and eusc-de-east-1, which this project
 * refuses by name) and plans `data.aws_partition` as the table's partition; an unknown region fails
 * with the provider's own error. One init, then two plans at once (tools/terraform/region-probe.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AWS_PROVIDER_VERSION, partitionForRegion, REFUSED_REGIONS, REGIONS } from '../../policy/regions';
import { terraformAvailability } from '../../tools/terraform/availability';
import { describeWithTerraform } from '../../tools/terraform/jest-support';
import { planRegionProbes, type RegionProbeResult } from '../../tools/terraform/region-probe';
import { startStsStandIn, type StsStandIn } from '../../tools/terraform/sts-stand-in';

// Each provider configuration costs two provider processes of about 3.5 s of CPU each (see
// region-probe.ts): the 46 configurations take about 105 s on two cores.
jest.setTimeout(480_000);

/** Every region the provider is expected to accept: the table's and the refused ones. */
const PROVIDER_REGIONS = [...REGIONS, ...Object.keys(REFUSED_REGIONS)];

/** Not regions of provider 5.100.0: a made-up one, and the id of a region AWS opened after that release. */
const UNKNOWN_REGIONS = ['xx-nowhere-9', 'ap-southeast-6'];

describeWithTerraform(
  'policy/regions.ts agrees with hashicorp/aws 5.100.0',
  (tools) => {
    let root: string;
    let sts: StsStandIn;
    let known: RegionProbeResult;
    let unknown: RegionProbeResult;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'tf-regions-'));
      sts = await startStsStandIn();
      [known, unknown] = await planRegionProbes(
        [
          { name: 'known', regions: PROVIDER_REGIONS },
          { name: 'unknown', regions: UNKNOWN_REGIONS, lanes: UNKNOWN_REGIONS.length },
        ],
        { tools, root, stsEndpoint: sts.endpoint, providerVersion: AWS_PROVIDER_VERSION, lanes: Math.min(availableParallelism(), 4) },
      );
    });

    afterAll(async () => {
      await sts?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    test('the probe pins the provider version the stacks pin', () => {
      const stack = new TerraformStack(Testing.app(), 'pin');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      expect(JSON.parse(Testing.synth(stack)).terraform.required_providers.aws.version).toBe(AWS_PROVIDER_VERSION);
    });

    test('every region of the table, and eusc-de-east-1, passes the provider’s region validation', () => {
      expect({ code: known.plan.code, stderr: known.plan.stderr }).toEqual({ code: 0, stderr: '' });
      expect(Object.keys(known.planned ?? {}).sort()).toEqual([...PROVIDER_REGIONS].sort());
    });

    test('the provider plans each region’s partition as the table’s', () => {
      const planned = Object.fromEntries(REGIONS.map((region) => [region, known.planned?.[region]?.partition]));
      expect(planned).toEqual(Object.fromEntries(REGIONS.map((region) => [region, partitionForRegion(region)])));
    });

    test('eusc-de-east-1 is a region of provider 5.100.0, in aws-eusc with DNS suffix amazonaws.eu: refused here by name, not as unknown', () => {
      expect(known.planned?.['eusc-de-east-1']).toEqual({
        partition: REFUSED_REGIONS['eusc-de-east-1'].partition,
        dnsSuffix: 'amazonaws.eu',
      });
    });

    test('the partitions come from the provider’s endpoints data: the STS stand-in was never asked', () => {
      expect(sts.requests).toEqual([]);
    });

    test('an unknown region fails the plan with the provider’s own "invalid AWS Region"', () => {
      expect(unknown.plan.code).not.toBe(0);
      for (const region of UNKNOWN_REGIONS) expect(unknown.plan.stderr).toContain(`invalid AWS Region: ${region}`);
      expect(unknown.planned).toBeUndefined();
    });
  },
  terraformAvailability(process.env, AWS_PROVIDER_VERSION),
);
