/**
 * The config accepts exactly the regions of policy/regions.ts (those hashicorp/aws 5.100.0 knows),
 * derives each environment's partition from that table, and refuses anything else by name: the
 * environment's region and the S3 backend's region alike.
 */
import { parseConfig } from '../../config';
import { problems } from './helpers';
import { PARTITIONS, REGIONS, REGIONS_BY_PARTITION } from '../../policy/regions';

type Json = Record<string, unknown>;

/** A valid environment in account 111122223333; each test changes one thing. */
function env(overrides: Json = {}): Json {
  return { region: 'eu-west-1', accountId: '111122223333', key: { alias: 'app-secrets' }, ...overrides };
}

const oneEnv = (overrides: Json = {}) => ({ environments: { prod: env(overrides) } });

const UNKNOWN = (value: string) =>
  `"${value}" is not an AWS region that hashicorp/aws 5.100.0 knows; expected a region such as "eu-west-1" (see policy/regions.ts)`;
const EUSC =
  '"eusc-de-east-1" is in the AWS European Sovereign Cloud (partition aws-eusc); this project does not support that partition: hashicorp/aws 5.100.0 knows the region, but the key policy and the Lambda role name services by amazonaws.com host names, and that partition uses amazonaws.eu';

describe('an environment’s region must be one hashicorp/aws 5.100.0 knows', () => {
  test.each(['xx-nowhere-9', 'us-east-3', 'ap-southeast-6', 'us-gov-central-1'])(
    '%s, shaped like a region but unknown, is refused by name',
    (region) => {
      expect(problems(oneEnv({ region }))).toEqual([`environments.prod.region: ${UNKNOWN(region)}`]);
    },
  );

  test.each(['eu_west_1', 'EU-WEST-1', 'europe', ''])('%j, not even shaped like a region, keeps the shape message', (region) => {
    expect(problems(oneEnv({ region }))).toEqual([
      `environments.prod.region: ${JSON.stringify(region)} is not an AWS region name; expected a name such as "eu-west-1"`,
    ]);
  });

  test('a region that is not a string says what it got', () => {
    expect(problems(oneEnv({ region: 42 }))).toEqual(['environments.prod.region: expected a string, got 42']);
  });

  test('an unknown region is reported once, without partition complaints about the principals it has no partition for', () => {
    const config = oneEnv({
      region: 'xx-nowhere-9',
      key: { alias: 'app-secrets', administrators: ['arn:aws:iam::111122223333:role/KeyAdmins'], keySpec: 'SM2', keyUsage: 'SIGN_VERIFY' },
    });
    expect(problems(config)).toEqual([`environments.prod.region: ${UNKNOWN('xx-nowhere-9')}`]);
  });

  test('eusc-de-east-1 (AWS European Sovereign Cloud) is refused by name, with the reason', () => {
    expect(problems(oneEnv({ region: 'eusc-de-east-1' }))).toEqual([`environments.prod.region: ${EUSC}`]);
  });
});

describe('the partition comes from the table', () => {
  test('a cn- region is in aws-cn and a us-gov- region in aws-us-gov, with ARNs of those partitions', () => {
    const config = parseConfig({
      environments: {
        beijing: env({ region: 'cn-north-1', key: { alias: 'cn-key', administrators: ['arn:aws-cn:iam::111122223333:role/KeyAdmins'] } }),
        govcloud: env({ region: 'us-gov-east-1', key: { alias: 'gov-key', users: ['arn:aws-us-gov:iam::111122223333:user/alice'] } }),
      },
    });
    expect(config.environments.map((e) => [e.name, e.region, e.partition])).toEqual([
      ['beijing', 'cn-north-1', 'aws-cn'],
      ['govcloud', 'us-gov-east-1', 'aws-us-gov'],
    ]);
  });

  test('an ARN of another partition than the region’s is still refused', () => {
    expect(problems(oneEnv({ region: 'us-gov-west-1', key: { alias: 'k', users: ['arn:aws:iam::111122223333:user/alice'] } }))).toEqual([
      'environments.prod.key.users[0]: "arn:aws:iam::111122223333:user/alice" is in partition aws, but region us-gov-west-1 is in aws-us-gov',
    ]);
  });

  test('every region of the table is accepted, each in its partition', () => {
    const environments = Object.fromEntries(REGIONS.map((region) => [`env-${region}`, env({ region })]));
    const config = parseConfig({ environments });
    const expected = PARTITIONS.flatMap((partition) => REGIONS_BY_PARTITION[partition].map((region) => [region, partition]));
    expect(config.environments.map((e) => [e.region, e.partition]).sort()).toEqual(expected.sort());
  });
});

describe('the S3 backend’s region is checked the same way', () => {
  const s3 = (region: unknown) => oneEnv({ backend: { type: 's3', bucket: 'state-bucket', region } });

  test('an unknown region is refused by name', () => {
    expect(problems(s3('xx-nowhere-9'))).toEqual([`environments.prod.backend.region: ${UNKNOWN('xx-nowhere-9')}`]);
  });

  test('eusc-de-east-1 is refused by name', () => {
    expect(problems(s3('eusc-de-east-1'))).toEqual([`environments.prod.backend.region: ${EUSC}`]);
  });

  test('a known region is kept; none defaults to the environment’s', () => {
    expect(parseConfig(s3('us-gov-west-1')).environments[0].backend).toMatchObject({ type: 's3', region: 'us-gov-west-1' });
    expect(parseConfig(oneEnv({ backend: { type: 's3', bucket: 'state-bucket' } })).environments[0].backend).toMatchObject({
      region: 'eu-west-1',
    });
  });
});
