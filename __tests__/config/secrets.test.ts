/**
 * `environments.<name>.secrets` and how the Lambda role is bound to them: every rejection with its
 * message, and which secrets the role reads by default.
 */
import { parseConfig } from '../../config';
import { secretAddressName } from '../../config/secret-schema';
import { problems } from './helpers';

type Json = Record<string, unknown>;

const env = (overrides: Json = {}): Json => ({ region: 'eu-west-1', accountId: '111122223333', key: { alias: 'app' }, ...overrides });
const withSecrets = (secrets: unknown, overrides: Json = {}) => ({ environments: { prod: env({ secrets, ...overrides }) } });

describe('declared secrets', () => {
  test('defaults: a 30-day recovery window, no description', () => {
    const [prod] = parseConfig(
      withSecrets([{ name: 'prod/db' }, { name: 'prod/api', description: 'API key', recoveryWindowInDays: 0 }]),
    ).environments;
    expect(prod.secrets).toEqual([
      { name: 'prod/db', description: undefined, recoveryWindowInDays: 30 },
      { name: 'prod/api', description: 'API key', recoveryWindowInDays: 0 },
    ]);
  });

  test.each([
    [{ name: '' }, 'environments.prod.secrets[0].name: "" is 0 characters long; secret names have 1-512'],
    [
      { name: 'x'.repeat(513) },
      `environments.prod.secrets[0].name: "${'x'.repeat(60)}"... (513 characters) is 513 characters long; secret names have 1-512`,
    ],
    [{ name: 'prod db' }, 'environments.prod.secrets[0].name: "prod db" is not a valid secret name; allowed: letters, digits and /_+=.@-'],
    [
      { name: 'prod/db*' },
      'environments.prod.secrets[0].name: "prod/db*" is not a valid secret name; allowed: letters, digits and /_+=.@-',
    ],
    [
      { name: 'prod/db-AbCd12' },
      'environments.prod.secrets[0].name: "prod/db-AbCd12" ends with "-" and six letters or digits, which Secrets Manager appends to every secret\'s ARN; AWS accepts such names but advises against them because ARN patterns become ambiguous, so this project refuses them: rename it',
    ],
    [
      { name: 'db', recoveryWindowInDays: 3 },
      'environments.prod.secrets[0].recoveryWindowInDays: 3 is out of range; Secrets Manager allows 0 (no recovery) or 7-30 days',
    ],
    [
      { name: 'db', recoveryWindowInDays: 31 },
      'environments.prod.secrets[0].recoveryWindowInDays: 31 is out of range; Secrets Manager allows 0 (no recovery) or 7-30 days',
    ],
    [{ name: 'db', recoveryWindowInDays: 7.5 }, 'environments.prod.secrets[0].recoveryWindowInDays: 7.5 must be a whole number of days'],
    [
      { name: 'db', value: 'hunter2' },
      'environments.prod.secrets[0]: unknown field "value"; allowed: name, description, recoveryWindowInDays',
    ],
    [{}, 'environments.prod.secrets[0].name: is required'],
  ])('%j is refused', (secret, message) => {
    expect(problems(withSecrets([secret]))).toEqual([message]);
  });

  test('a secret value has no place in the config: no field takes one', () => {
    expect(problems(withSecrets([{ name: 'db', secretString: 'hunter2' }]))).toEqual([
      'environments.prod.secrets[0]: unknown field "secretString"; allowed: name, description, recoveryWindowInDays',
    ]);
  });

  test('the same name twice in one environment', () => {
    expect(problems(withSecrets([{ name: 'db' }, { name: 'db' }]))).toContain(
      'environments.prod.secrets[1].name: "db" is declared twice (also at secrets[0])',
    );
  });

  test('two names that map to one Terraform address', () => {
    expect(secretAddressName('prod/db')).toBe('secret_prod_db');
    expect(problems(withSecrets([{ name: 'prod/db' }, { name: 'prod.db' }]))).toEqual([
      'environments.prod.secrets[1].name: "prod.db" and "prod/db" (secrets[0]) both become the Terraform address aws_secretsmanager_secret.secret_prod_db; rename one',
    ]);
  });

  test('names are unique per account and region across environments (case-sensitive, as Secrets Manager compares them)', () => {
    const config = {
      environments: {
        a: env({ key: { alias: 'a' }, secrets: [{ name: 'shared/db' }] }),
        b: env({ key: { alias: 'b' }, secrets: [{ name: 'shared/db' }, { name: 'Shared/db' }] }),
        c: env({ key: { alias: 'c' }, region: 'eu-west-2', secrets: [{ name: 'shared/db' }] }),
        d: env({ key: { alias: 'd' }, accountId: '444455556666', secrets: [{ name: 'shared/db' }] }),
      },
    };
    expect(problems(config)).toEqual([
      'environments.b.secrets[0].name: "shared/db" is already declared by environment "a" in 111122223333 and eu-west-1; secret names are unique per account and region',
    ]);
  });

  test('secrets need a symmetric encryption key, naming the key spec', () => {
    expect(
      problems(withSecrets([{ name: 'db' }], { key: { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' } })),
    ).toEqual([
      'environments.prod.secrets: are declared, but the key is HMAC_256/GENERATE_VERIFY_MAC; Secrets Manager encrypts only with SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, so remove secrets or change the key',
    ]);
  });
});

describe('the Lambda role reads exactly one source of secrets', () => {
  /** The role's three sources of secrets after resolution. */
  const role = (lambdaRole: Json, secrets: Json[] = []) => {
    const resolved = parseConfig(withSecrets(secrets, { lambdaRole: { name: 'reader', ...lambdaRole } })).environments[0].lambdaRole;
    return { secretArns: resolved?.secretArns, secretNames: resolved?.secretNames, secretNamePrefix: resolved?.secretNamePrefix };
  };
  const none = { secretArns: undefined, secretNames: undefined, secretNamePrefix: undefined };

  test('with declared secrets and no source given, exactly those secrets, by name', () => {
    expect(role({}, [{ name: 'prod/db' }, { name: 'prod/api' }])).toEqual({ ...none, secretNames: ['prod/db', 'prod/api'] });
  });

  test('without secrets and no source given, the prefix <environment>/ as before', () => {
    expect(role({})).toEqual({ ...none, secretNamePrefix: 'prod/' });
  });

  test('an explicit source wins over declared secrets; an empty list counts as not given', () => {
    expect(role({ secretNamePrefix: 'legacy/' }, [{ name: 'prod/db' }])).toEqual({ ...none, secretNamePrefix: 'legacy/' });
    expect(role({ secretArns: [] }, [{ name: 'prod/db' }])).toEqual({ ...none, secretNames: ['prod/db'] });
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-??????';
    expect(role({ secretArns: [arn] }, [{ name: 'prod/db' }])).toEqual({ ...none, secretArns: [arn] });
  });

  test('two sources at once are refused', () => {
    expect(problems(withSecrets([], { lambdaRole: { name: 'reader', secretNamePrefix: 'p/', secretNames: ['p/db'] } }))).toEqual([
      'environments.prod.lambdaRole: gives secretNames and secretNamePrefix; give only one of secretArns, secretNames and secretNamePrefix, so that what the role reads is never decided silently',
    ]);
  });

  test('secretNames follow the secret name rules', () => {
    expect(problems(withSecrets([], { lambdaRole: { name: 'reader', secretNames: ['db-Ab12Cd'] } }))[0]).toMatch(
      /^environments\.prod\.lambdaRole\.secretNames\[0\]: "db-Ab12Cd" ends with "-" and six letters or digits/,
    );
  });
});
