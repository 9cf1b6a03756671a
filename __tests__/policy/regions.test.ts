/**
 * The region table: every region hashicorp/aws 5.100.0 accepts, each in its partition, and nothing
 * else (`__tests__/terraform/regions.slow.test.ts` proves the same table against the provider itself).
 */
import { IAM_PRINCIPAL_ARN } from '../../policy/arn';
import {
  AWS_PROVIDER_VERSION,
  isKnownRegion,
  PARTITIONS,
  partitionForRegion,
  partitionOfKnownRegion,
  REFUSED_REGIONS,
  refusedRegion,
  REGIONS,
  REGIONS_BY_PARTITION,
} from '../../policy/regions';
import { SECRET_ARN } from '../../config/lambda-role-schema';

/** How many regions hashicorp/aws 5.100.0 (aws-sdk-go-base v2.0.0-beta.65) lists in each partition. */
const EXPECTED_COUNTS = {
  aws: 33,
  'aws-cn': 2,
  'aws-us-gov': 2,
  'aws-iso': 2,
  'aws-iso-b': 1,
  'aws-iso-e': 1,
  'aws-iso-f': 2,
};

/** The provider's own region patterns per partition (endpoints data), used only as a cross-check of the names. */
const PARTITION_PATTERNS: Record<string, RegExp> = {
  aws: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  'aws-cn': /^cn-\w+-\d+$/,
  'aws-us-gov': /^us-gov-\w+-\d+$/,
  'aws-iso': /^us-iso-\w+-\d+$/,
  'aws-iso-b': /^us-isob-\w+-\d+$/,
  'aws-iso-e': /^eu-isoe-\w+-\d+$/,
  'aws-iso-f': /^us-isof-\w+-\d+$/,
  'aws-eusc': /^eusc-(de)-\w+-\d+$/,
};

describe('the table lists each partition’s regions, as provider 5.100.0 does', () => {
  test('it was read from hashicorp/aws 5.100.0, the version the stacks pin', () => {
    expect(AWS_PROVIDER_VERSION).toBe('5.100.0');
  });

  test('each partition has exactly its regions: 43 in all', () => {
    const counts = Object.fromEntries(PARTITIONS.map((p) => [p, REGIONS_BY_PARTITION[p].length]));
    expect(counts).toEqual(EXPECTED_COUNTS);
    expect(REGIONS).toHaveLength(43);
    expect(new Set(REGIONS).size).toBe(REGIONS.length);
  });

  test.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['ap-east-2', 'aws'],
    ['mx-central-1', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-east-1', 'aws-iso-f'],
    ['us-isof-south-1', 'aws-iso-f'],
  ])('%s is in %s', (region, partition) => {
    expect(isKnownRegion(region)).toBe(true);
    expect(partitionForRegion(region)).toBe(partition);
    expect(partitionOfKnownRegion(region)).toBe(partition);
  });

  test('every region is in the partition whose name pattern it matches, and matches no other', () => {
    for (const partition of PARTITIONS) {
      for (const region of REGIONS_BY_PARTITION[partition]) {
        const matching = Object.entries(PARTITION_PATTERNS)
          .filter(([, pattern]) => pattern.test(region))
          .map(([p]) => p);
        expect({ region, matching }).toEqual({ region, matching: [partition] });
        expect(partitionForRegion(region)).toBe(partition);
      }
    }
  });
});

describe('an unknown region has no partition (no more guessing "aws" from the shape)', () => {
  test.each([
    'xx-nowhere-9',
    'us-east-3',
    'ap-southeast-6',
    'us-gov-central-1',
    'cn-south-1',
    'US-EAST-1',
    'us-east-1 ',
    'aws-global',
    '',
    '__proto__',
    'constructor',
    'toString',
  ])('%j', (region) => {
    expect(isKnownRegion(region)).toBe(false);
    expect(partitionForRegion(region)).toBeUndefined();
    expect(refusedRegion(region)).toBeUndefined();
  });

  test('partitionOfKnownRegion throws on unvalidated input, naming it', () => {
    expect(() => partitionOfKnownRegion('xx-nowhere-9')).toThrow('"xx-nowhere-9" is not in policy/regions.ts; validate the region first');
  });
});

describe('eusc-de-east-1: known to provider 5.100.0, refused here by name', () => {
  test('it is not a region of the table and has no partition here', () => {
    expect(isKnownRegion('eusc-de-east-1')).toBe(false);
    expect(partitionForRegion('eusc-de-east-1')).toBeUndefined();
    expect(REGIONS).not.toContain('eusc-de-east-1');
  });

  test('it is the only refused region, in partition aws-eusc (the AWS European Sovereign Cloud), with the reason', () => {
    expect(Object.keys(REFUSED_REGIONS)).toEqual(['eusc-de-east-1']);
    expect(refusedRegion('eusc-de-east-1')).toEqual({
      partition: 'aws-eusc',
      partitionName: 'AWS European Sovereign Cloud',
      reason: expect.stringContaining('amazonaws.eu'),
    });
    expect(PARTITION_PATTERNS['aws-eusc'].test('eusc-de-east-1')).toBe(true);
  });

  test('its partition is not one of PARTITIONS', () => {
    expect(PARTITIONS).not.toContain('aws-eusc');
  });
});

describe('the ARN patterns accept exactly the table’s partitions', () => {
  const iamArn = (partition: string) => `arn:${partition}:iam::111122223333:role/app`;
  const secretArn = (partition: string) => `arn:${partition}:secretsmanager:eu-west-1:111122223333:secret:app/db-AbCdEf`;

  test('PARTITIONS are the table’s partitions, once each', () => {
    expect([...PARTITIONS].sort()).toEqual(Object.keys(REGIONS_BY_PARTITION).sort());
  });

  test.each([...PARTITIONS])('%s is accepted by IAM_PRINCIPAL_ARN and SECRET_ARN', (partition) => {
    expect(IAM_PRINCIPAL_ARN.exec(iamArn(partition))?.[1]).toBe(partition);
    expect(SECRET_ARN.test(secretArn(partition))).toBe(true);
  });

  test.each(['aws-eusc', 'aws-cn-x', 'aws-iso-', 'awss', 'AWS', ''])('%j is refused by both', (partition) => {
    expect(IAM_PRINCIPAL_ARN.test(iamArn(partition))).toBe(false);
    expect(SECRET_ARN.test(secretArn(partition))).toBe(false);
  });
});
