/**
 * Configs that AWS or Terraform would refuse later are refused at synth, with the field named
 * (docs/safety.md, "Refuse at synth"), and messages say what was wrong in a readable form.
 */
import { parseConfig } from '../../config';
import { problems } from './helpers';
import { s3BucketNameProblem } from '../../config/backend-schema';
import { show } from '../../config/fields';

type Json = Record<string, unknown>;

const env = (overrides: Json = {}): Json => ({ region: 'eu-west-1', accountId: '111122223333', key: { alias: 'app' }, ...overrides });
const oneEnv = (overrides: Json = {}) => ({ environments: { prod: env(overrides) } });

describe('aliases', () => {
  test.each([
    ['alias/', 'environments.prod.key.alias: "alias/" has no name after "alias/"'],
    ['alias//x', 'environments.prod.key.alias: "alias//x" has an empty part between "/" separators; write e.g. "alias/team/app"'],
    ['team//app', 'environments.prod.key.alias: "alias/team//app" has an empty part between "/" separators; write e.g. "alias/team/app"'],
    ['team/', 'environments.prod.key.alias: "alias/team/" has an empty part between "/" separators; write e.g. "alias/team/app"'],
    [
      'alias/AWS/x',
      'environments.prod.key.alias: "alias/AWS/x" starts with "alias/aws/" (in any case), which is reserved for AWS managed keys',
    ],
    ['Aws/x', 'environments.prod.key.alias: "alias/Aws/x" starts with "alias/aws/" (in any case), which is reserved for AWS managed keys'],
  ])('%j is refused', (alias, message) => {
    expect(problems(oneEnv({ key: { alias } }))).toEqual([message]);
  });

  test('names that merely contain "aws" pass', () => {
    expect(parseConfig(oneEnv({ key: { alias: 'alias/awsome/app' } })).environments[0].key.alias).toBe('alias/awsome/app');
  });
});

describe('S3 backend bucket names follow S3’s rules', () => {
  test.each([
    ['ab', 'is 2 characters long; S3 bucket names have 3-63'],
    ['a'.repeat(64), 'is 64 characters long; S3 bucket names have 3-63'],
    ['My_Bucket', 'is not a valid S3 bucket name; allowed: lower-case letters, digits, "." and "-"'],
    ['-bucket', 'must start and end with a lower-case letter or digit'],
    ['bucket.', 'must start and end with a lower-case letter or digit'],
    ['my..bucket', 'has two dots in a row, which S3 does not allow'],
    ['192.168.5.4', 'is shaped like an IP address, which S3 does not allow'],
    ['xn--bucket', 'starts with "xn--", which S3 reserves'],
    ['sthree-bucket', 'starts with "sthree-", which S3 reserves'],
    ['amzn-s3-demo-bucket', 'starts with "amzn-s3-demo-", which S3 reserves'],
    ['bucket-s3alias', 'ends with "-s3alias", which S3 reserves'],
    ['bucket--ol-s3', 'ends with "--ol-s3", which S3 reserves'],
    ['bucket.mrap', 'ends with ".mrap", which S3 reserves'],
    ['bucket--x-s3', 'ends with "--x-s3", which S3 reserves'],
    ['bucket--table-s3', 'ends with "--table-s3", which S3 reserves'],
  ])('%j: %s', (bucket, problem) => {
    expect(s3BucketNameProblem(bucket)).toBe(problem);
    expect(problems(oneEnv({ backend: { type: 's3', bucket } }))).toEqual([`environments.prod.backend.bucket: ${show(bucket)} ${problem}`]);
  });

  test.each(['abc', 'my-state.bucket-2', 'a'.repeat(63), '1bucket9', 'bucket-s3aliases'])('%j passes', (bucket) => {
    expect(s3BucketNameProblem(bucket)).toBeUndefined();
  });
});

describe('tags', () => {
  test('keys that differ only in case are refused (IAM refuses them on the role)', () => {
    expect(problems(oneEnv({ tags: { Team: 'a', team: 'b' } }))).toEqual([
      'environments.prod.tags.team: tag key "team" differs from "Team" only in case; IAM refuses such tags on a role',
    ]);
  });

  test('__proto__ is a valid tag key and is kept', () => {
    const tags = JSON.parse('{"__proto__":"x","Team":"y"}');
    const [prod] = parseConfig(oneEnv({ tags })).environments;
    expect(Object.keys(prod.tags)).toEqual(['__proto__', 'Team']);
    expect(Object.getPrototypeOf(prod.tags)).toBe(Object.prototype);
  });

  test('an empty tag key is named without a stray dot', () => {
    expect(problems(oneEnv({ tags: { '': 'x' } }))).toEqual(['environments.prod.tags[""]: tag keys must not be empty']);
  });
});

describe('principals whose roles break the key policy’s promises', () => {
  const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';

  test('a principal that is both administrator and user', () => {
    expect(problems(oneEnv({ key: { alias: 'app', administrators: [ADMIN], users: [ADMIN] } }))).toEqual([
      `environments.prod.key.administrators[0]: "${ADMIN}" is also in key.users; administrators manage the key and must not use it, so name a different principal for each`,
    ]);
  });

  test('the Lambda role this environment creates, named as an administrator (role names compare without case)', () => {
    const role = 'arn:aws:iam::111122223333:role/service-role/Lambda-Secrets-Role';
    expect(problems(oneEnv({ key: { alias: 'app', administrators: [role] }, lambdaRole: { name: 'lambda-secrets-role' } }))).toEqual([
      `environments.prod.key.administrators[0]: "${role}" is the Lambda role this environment creates; that role may use the key only through Secrets Manager, so it must not be an administrator`,
    ]);
  });

  test('a role of the same name in another account, or at another path, is a different role', () => {
    const otherAccount = 'arn:aws:iam::444455556666:role/service-role/lambda-secrets-role';
    const otherPath = 'arn:aws:iam::111122223333:role/lambda-secrets-role';
    expect(() =>
      parseConfig(
        oneEnv({ key: { alias: 'app', administrators: [otherAccount, otherPath] }, lambdaRole: { name: 'lambda-secrets-role' } }),
      ),
    ).not.toThrow();
  });
});

describe('messages', () => {
  test.each([
    [
      'a missing required field says "is required"',
      { environments: { prod: { key: { alias: 'a' } } } },
      'environments.prod.region: is required',
    ],
    [
      'a non-integer says "must be a whole number"',
      oneEnv({ key: { alias: 'a', deletionWindowInDays: 7.5 } }),
      'environments.prod.key.deletionWindowInDays: 7.5 must be a whole number; KMS allows 7-30 days',
    ],
    [
      'an object is shown as JSON',
      oneEnv({ region: { name: 'eu-west-1' } }),
      'environments.prod.region: expected a string, got {"name":"eu-west-1"}',
    ],
    [
      'a list is shown as JSON',
      oneEnv({ key: { alias: ['alias', 'prod-key'] } }),
      'environments.prod.key.alias: expected a string, got ["alias","prod-key"]',
    ],
  ])('%s', (_label, config, message) => {
    expect(problems(config)).toContain(message);
  });

  test('a huge value is cut, saying how long it was', () => {
    const huge = 'x'.repeat(1_500_000);
    const [message] = problems(oneEnv({ key: { alias: 'a', description: huge } }));
    expect(message).toBe(`environments.prod.key.description: is longer than 8192 characters`);
    const [other] = problems(oneEnv({ region: huge }));
    expect(other.length).toBeLessThan(200);
    expect(other).toContain('... (1500000 characters)');
    expect(show({ list: Array.from({ length: 100 }, (_, i) => i) })).toHaveLength(80);
  });
});

describe('secretArns: the only wildcard is a final -?????? (Secrets Manager’s suffix)', () => {
  const withSecrets = (secretArns: string[], region = 'eu-west-1') => ({
    environments: { prod: env({ region, lambdaRole: { name: 'reader', secretArns } }) },
  });
  const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:';

  test.each([
    [`${ARN}prod/db`, undefined],
    [`${ARN}prod/db-AbCdEf`, undefined],
    [`${ARN}prod/db-??????`, undefined],
  ])('%s is accepted', (arn) => {
    expect(parseConfig(withSecrets([arn])).environments[0].lambdaRole?.secretArns).toEqual([arn]);
  });

  test.each([
    [`${ARN}*`, `${ARN}<name>-??????`],
    [`${ARN}prod/db-*`, `${ARN}prod/db-??????`],
    [`${ARN}prod/db*`, `${ARN}prod/db-??????`],
    [`${ARN}prod/*/db-??????`, `${ARN}<name>-??????`],
    [`${ARN}prod/db-???`, `${ARN}prod/db-??????`],
    [`${ARN}pr?d/db-??????`, `${ARN}<name>-??????`],
  ])('%s is refused, suggesting %s', (arn, suggestion) => {
    expect(problems(withSecrets([arn]))).toEqual([
      `environments.prod.lambdaRole.secretArns[0]: ${show(arn)} has a wildcard; the only one allowed is a final "-??????" (Secrets Manager's six-character suffix), so write "${suggestion}", or use secretNamePrefix for a group of secrets`,
    ]);
  });

  test('a suffix wildcard with no name is refused', () => {
    expect(problems(withSecrets([`${ARN}-??????`]))).toEqual([
      `environments.prod.lambdaRole.secretArns[0]: "${ARN}-??????" has no secret name before "-??????"`,
    ]);
  });

  test('a secret in another partition than the environment’s region is refused', () => {
    const arn = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:prod/db-??????';
    expect(problems(withSecrets([arn]))).toEqual([
      `environments.prod.lambdaRole.secretArns[0]: "${arn}" is in partition aws-cn, but region eu-west-1 is in aws`,
    ]);
  });
});

describe('role paths', () => {
  const withPath = (path: string) => oneEnv({ lambdaRole: { name: 'reader', path } });

  test.each([
    ['/a//b/', '"/a//b/" has an empty segment ("//")'],
    [
      '/team*/',
      '"/team*/" contains "*"; IAM allows it in a path, but the key policy names the role by ARN, and a principal ARN cannot hold a wildcard',
    ],
  ])('%j is refused', (path, message) => {
    expect(problems(withPath(path))).toEqual([`environments.prod.lambdaRole.path: ${message}`]);
  });

  test('any other printable-ASCII path IAM allows is accepted, and its ARN is built correctly', () => {
    const [prod] = parseConfig(withPath('/team~payments/a!b$c/')).environments;
    expect(prod.lambdaRole?.path).toBe('/team~payments/a!b$c/');
  });
});
