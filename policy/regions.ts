/**
 * The AWS regions this project accepts and the partition of each: exactly the regions that the
 * Terraform provider hashicorp/aws 5.100.0 accepts with `skip_region_validation = false`, less the
 * one it knows but this project refuses (`eusc-de-east-1`, see `REFUSED_REGIONS`).
 *
 * Where the list comes from (read 2026-12-02): unless `skip_region_validation` is set, provider
 * 5.100.0 checks the region in `(*Config).ConfigureProvider` (`internal/conns/config.go`) with
 * `validation.SupportedRegion` of hashicorp/aws-sdk-go-base v2.0.0-beta.65 (the version and both
 * symbols are in the provider binary: Go build information and symbol names, read with `strings`).
 * That function accepts a region only when it is a key of some partition's `regions` in the
 * module's `endpoints/endpoints_gen.go` (generated from aws-sdk-go-v2's `endpoints.json`; the
 * partitions' region patterns are not consulted), which at that tag lists the 44 regions below (43
 * here plus `eusc-de-east-1`), each under the partition used here. `__tests__/terraform/regions.slow.test.ts`
 * proves the table against the mirrored 5.100.0 binary: one provider per region must pass the
 * provider's own validation and plan `data.aws_partition` as the partition below, and unknown
 * regions must fail with the provider's "invalid AWS Region".
 *
 * A newer provider may know more regions: update the table, `AWS_PROVIDER_VERSION` and the date
 * together, then run that test.
 */

/** The provider release the table was read from and proven against; the stacks pin the same one. */
export const AWS_PROVIDER_VERSION = '5.100.0';

/** The partitions this project supports: the keys of `REGIONS_BY_PARTITION`, and the only ones ARN patterns accept. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'] as const;

/** A partition this project supports. */
export type Partition = (typeof PARTITIONS)[number];

/** The regions of each supported partition, as hashicorp/aws 5.100.0 lists them. */
export const REGIONS_BY_PARTITION: { readonly [P in Partition]: readonly string[] } = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
};

/** A region hashicorp/aws 5.100.0 accepts but this project refuses, and why. */
export interface RefusedRegion {
  /** The partition the provider puts it in. */
  readonly partition: string;
  /** What AWS calls the partition. */
  readonly partitionName: string;
  /** Why this project refuses it, as the end of a sentence. */
  readonly reason: string;
}

/**
 * Regions the provider accepts that this project refuses, by name, so that a user hears why rather
 * than "unknown region". The provider puts `eusc-de-east-1` in partition `aws-eusc`, DNS suffix
 * `amazonaws.eu` (its `data.aws_partition` says so in the Terraform proof), but the key policy and
 * the Lambda role here name services by `amazonaws.com` host names (`kms:ViaService`
 * `secretsmanager.<region>.amazonaws.com`, `lambda.amazonaws.com`), and nothing here has been
 * checked against that partition.
 */
export const REFUSED_REGIONS: { readonly [region: string]: RefusedRegion } = {
  'eusc-de-east-1': {
    partition: 'aws-eusc',
    partitionName: 'AWS European Sovereign Cloud',
    reason:
      'this project does not support that partition: hashicorp/aws 5.100.0 knows the region, but the key policy and the Lambda role name services by amazonaws.com host names, and that partition uses amazonaws.eu',
  },
};

const PARTITION_OF = new Map<string, Partition>(
  PARTITIONS.flatMap((partition) => REGIONS_BY_PARTITION[partition].map((region) => [region, partition] as const)),
);

/** Every region this project accepts, partition by partition in the order of `PARTITIONS`. */
export const REGIONS: readonly string[] = [...PARTITION_OF.keys()];

/** Whether this project accepts `region` (a region of the table; refused regions are not). */
export function isKnownRegion(region: string): boolean {
  return PARTITION_OF.has(region);
}

/** The partition of a region this project accepts, or undefined for any other string. */
export function partitionForRegion(region: string): Partition | undefined {
  return PARTITION_OF.get(region);
}

/**
 * The partition of a region that has already passed validation (the config's `region()`). Unknown
 * input here is a bug in the caller, so it throws instead of guessing `aws`.
 */
export function partitionOfKnownRegion(region: string): Partition {
  const partition = PARTITION_OF.get(region);
  if (partition === undefined) {
    throw new Error(`partitionOfKnownRegion: ${JSON.stringify(region)} is not in policy/regions.ts; validate the region first`);
  }
  return partition;
}

/** Why `region` is refused by name, or undefined when it is not one of `REFUSED_REGIONS`. */
export function refusedRegion(region: string): RefusedRegion | undefined {
  return Object.hasOwn(REFUSED_REGIONS, region) ? REFUSED_REGIONS[region] : undefined;
}

/**
 * The partitions as a regular-expression alternation (`aws|aws-cn|...`), for ARN patterns that
 * must accept exactly the partitions of the table.
 */
export const PARTITION_ALTERNATION = PARTITIONS.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
