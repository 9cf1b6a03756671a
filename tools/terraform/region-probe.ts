/**
 * Asks hashicorp/aws itself which regions it accepts and which partition it puts each in: a
 * Terraform JSON configuration with one aliased `aws` provider per region, the provider's own region
 * validation on (`skip_region_validation = false`), and one `data "aws_partition"` per provider,
 * whose partition and DNS suffix are planned into the output `partitions`. Planned offline, never
 * applied; `__tests__/terraform/regions.slow.test.ts` proves `policy/regions.ts` with it.
 *
 * Unlike the stacks' offline override, the probe skips credential validation and the account
 * lookup. With either on, the provider asks STS GetCallerIdentity once per provider configuration
 * (signed for that provider's region; the custom `sts` endpoint replaces the regional host name, so
 * the loopback stand-in answers every region alike) and then takes its partition from the ARN in the
 * answer, which the stand-in writes as `arn:aws:...`: every region, `cn-north-1` included, would plan
 * as `aws`. With both skipped, the partition comes from the provider's endpoints data for the region,
 * which is what the probe is for. The `sts` endpoint still points at the stand-in, so a call that
 * should not happen stays on this machine and shows up in the stand-in's requests.
 */
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseExternalJson } from '../../config/errors';
import { runTerraform, runTerraformOrThrow, type TerraformResult } from './cli';
import type { HarnessTools } from './harness';
import { writeMirrorCliConfig } from './mirror';
import { type Limiter, terraformSlots } from './concurrency';
import { offlineTerraformEnv } from './offline-env';

/** The output that maps each probed region to what the provider says about it. */
export const REGION_PROBE_OUTPUT = 'partitions';

/** The provider alias and data source name of a region: `us-east-1` becomes `us_east_1`. */
export function probeName(region: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(region))
    throw new Error(`${JSON.stringify(region)} cannot name a provider alias; expected lower-case letters, digits and -`);
  return region.replace(/-/g, '_');
}

/** How to build a probe configuration. */
export interface RegionProbeOptions {
  /** The exact `hashicorp/aws` version to pin, as the synthesized stacks do. */
  readonly providerVersion: string;
  /** The loopback STS stand-in, `http://127.0.0.1:<port>`. */
  readonly stsEndpoint: string;
  /**
   * How many providers may be configured at once. Terraform otherwise starts the processes of all
   * provider configurations together and keeps them to the end of each walk (44 regions held 6 GB
   * and took 219 s on two cores); in a lane, each provider's `region` waits for the previous
   * provider's data source (it is prefixed with an empty `substr` of it), so a lane holds about one
   * process at a time. One lane per core keeps the cores busy; more only contend (two cores: two
   * lanes 159 s, four lanes 191 s).
   * @default 1
   */
  readonly lanes?: number;
}

/** The Terraform JSON document that probes `regions`, in their order. */
export function regionProbeConfig(regions: readonly string[], options: RegionProbeOptions): Record<string, unknown> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(options.stsEndpoint)) {
    throw new Error(`the STS endpoint must be a loopback address, got ${options.stsEndpoint}`);
  }
  const lanes = options.lanes ?? 1;
  if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`lanes must be a whole number of at least 1, got ${lanes}`);
  if (new Set(regions).size !== regions.length) throw new Error('each region may be probed once');
  const previousInLane: (string | undefined)[] = [];
  const providers = regions.map((region, index) => {
    const name = probeName(region);
    const previous = previousInLane[index % lanes];
    previousInLane[index % lanes] = name;
    return {
      alias: name,
      region: previous === undefined ? region : `\${substr(data.aws_partition.${previous}.partition, 0, 0)}${region}`,
      access_key: 'OFFLINEPROBE',
      secret_key: 'offline-secret-key',
      skip_region_validation: false,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      max_retries: 1,
      endpoints: [{ sts: options.stsEndpoint }],
    };
  });
  return {
    '//': 'Written by tools/terraform/region-probe.ts: which regions hashicorp/aws accepts, and their partitions. Planned offline, never applied.',
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: options.providerVersion } } },
    provider: { aws: providers },
    data: { aws_partition: Object.fromEntries(regions.map((region) => [probeName(region), { provider: `aws.${probeName(region)}` }])) },
    output: {
      [REGION_PROBE_OUTPUT]: {
        value: Object.fromEntries(
          regions.map((region) => [
            region,
            {
              partition: `\${data.aws_partition.${probeName(region)}.partition}`,
              dns_suffix: `\${data.aws_partition.${probeName(region)}.dns_suffix}`,
            },
          ]),
        ),
      },
    },
  };
}

/** What the provider planned for one region. */
export interface ProbedRegion {
  readonly partition: string;
  readonly dnsSuffix: string;
}

/** One configuration to plan: a folder name and the regions it probes. */
export interface RegionProbe {
  readonly name: string;
  readonly regions: readonly string[];
  /**
   * Lanes of this probe (see `RegionProbeOptions.lanes`). A probe of regions expected to fail wants
   * one lane per region: a provider that fails to configure stops the rest of its lane.
   * @default the `lanes` of `planRegionProbes`' options
   */
  readonly lanes?: number;
}

/** How a probe went: the plan's exit code and output, and what was planned when it succeeded. */
export interface RegionProbeResult {
  readonly name: string;
  readonly plan: TerraformResult;
  /** By region, when the plan succeeded. */
  readonly planned?: Readonly<Record<string, ProbedRegion>>;
}

/** What `planRegionProbes` needs besides the probes. */
export interface PlanRegionProbesOptions extends Omit<RegionProbeOptions, 'stsEndpoint'> {
  readonly tools: HarnessTools;
  /** An empty folder for the probes' configurations and Terraform's files. */
  readonly root: string;
  /** The loopback STS stand-in (see `startStsStandIn`). */
  readonly stsEndpoint: string;
  /**
   * What bounds the Terraform processes; each probe's plan counts as one although its lanes keep
   * several provider processes busy.
   * @default the machine-wide limiter (`terraformSlots()`), shared with the harness
   */
  readonly limiter?: Limiter;
}

/** The probe's output as planned: each region's partition and DNS suffix. */
const probeOutputSchema = z.record(z.string(), z.looseObject({ partition: z.string(), dns_suffix: z.string() }));

/** A plan of the probe: only its output is read. */
const probePlanSchema = z.looseObject({
  planned_values: z.looseObject({
    outputs: z.looseObject({ [REGION_PROBE_OUTPUT]: z.looseObject({ value: probeOutputSchema }) }),
  }),
});

/** What the provider planned for each region, from `terraform show -json` of a probe; ExternalJsonError naming the bad field otherwise. */
export function plannedRegions(showJson: string, probe = 'the region probe'): Record<string, ProbedRegion> {
  const plan = parseExternalJson(probePlanSchema, showJson, `terraform show -json of ${probe}`);
  return Object.fromEntries(
    Object.entries(plan.planned_values.outputs[REGION_PROBE_OUTPUT].value).map(([region, v]) => [
      region,
      { partition: v.partition, dnsSuffix: v.dns_suffix },
    ]),
  );
}

/**
 * Writes each probe into `<root>/<name>/`, runs `terraform init` once (the other probes get a copy
 * of its `.terraform` folder, which only links the mirrored provider, and lock file), then
 * `plan -out` of every probe at once and `show -json` of each that planned.
 */
export async function planRegionProbes(probes: readonly RegionProbe[], options: PlanRegionProbesOptions): Promise<RegionProbeResult[]> {
  if (probes.length === 0) return [];
  const env = offlineTerraformEnv(writeMirrorCliConfig(options.root, options.tools.mirrorRoot));
  const dirs = probes.map((probe) => {
    const dir = join(options.root, probe.name);
    mkdirSync(dir, { recursive: true });
    const config = regionProbeConfig(probe.regions, { ...options, lanes: probe.lanes ?? options.lanes });
    writeFileSync(join(dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    return dir;
  });
  const limit = options.limiter ?? terraformSlots();
  const terraform = (dir: string, args: readonly string[]) =>
    limit(() => runTerraform(options.tools.terraformBinary, args, { cwd: dir, env }));
  await limit(() => runTerraformOrThrow(options.tools.terraformBinary, ['init', '-input=false', '-no-color'], { cwd: dirs[0], env }));
  for (const dir of dirs.slice(1)) {
    cpSync(join(dirs[0], '.terraform'), join(dir, '.terraform'), { recursive: true, verbatimSymlinks: true });
    copyFileSync(join(dirs[0], '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
  }
  return Promise.all(
    probes.map(async (probe, index): Promise<RegionProbeResult> => {
      const plan = await terraform(dirs[index], ['plan', '-input=false', '-no-color', '-lock=false', '-out=probe.tfplan']);
      if (plan.code !== 0) return { name: probe.name, plan };
      const shown = await terraform(dirs[index], ['show', '-json', '-no-color', 'probe.tfplan']);
      if (shown.code !== 0) return { name: probe.name, plan: shown };
      return { name: probe.name, plan, planned: plannedRegions(shown.stdout, `probe ${probe.name}`) };
    }),
  );
}
