/** `environments.<name>.audit` and `expectedRequestsPerMonth`: defaults and every rejection. */
import { parseConfig } from '../../config';
import { DEFAULT_AUDIT_EVENTS } from '../../config/audit-schema';
import { problems } from './helpers';

type Json = Record<string, unknown>;

const env = (overrides: Json = {}): Json => ({ region: 'eu-west-1', accountId: '111122223333', key: { alias: 'app' }, ...overrides });
const config = (overrides: Json, name = 'prod') => ({ environments: { [name]: env(overrides) } });

describe('audit', () => {
  test('defaults: the eleven risky events, no topic given', () => {
    const [prod] = parseConfig(config({ audit: { emails: ['sec@example.com'] } })).environments;
    expect(prod.audit).toEqual({ emails: ['sec@example.com'], snsTopicArn: undefined, events: [...DEFAULT_AUDIT_EVENTS] });
  });

  test('a topic of the key’s region instead of emails', () => {
    const topic = 'arn:aws:sns:eu-west-1:111122223333:security-alerts';
    expect(parseConfig(config({ audit: { snsTopicArn: topic } })).environments[0].audit?.snsTopicArn).toBe(topic);
  });

  test.each<[string, Json, Json, string]>([
    ['neither emails nor a topic', { audit: {} }, {}, 'environments.prod.audit: needs emails or snsTopicArn: alerts must go somewhere'],
    [
      'an empty email list',
      { audit: { emails: [] } },
      {},
      'environments.prod.audit: needs emails or snsTopicArn: alerts must go somewhere',
    ],
    [
      'a malformed email',
      { audit: { emails: ['security@'] } },
      {},
      'environments.prod.audit.emails[0]: "security@" is not an email address',
    ],
    [
      'an email twice',
      { audit: { emails: ['a@example.com', 'A@example.com'] } },
      {},
      'environments.prod.audit.emails[1]: "A@example.com" is listed twice',
    ],
    [
      'an SNS ARN that is not one',
      { audit: { snsTopicArn: 'arn:aws:sqs:eu-west-1:111122223333:q' } },
      {},
      'environments.prod.audit.snsTopicArn: "arn:aws:sqs:eu-west-1:111122223333:q" is not an SNS topic ARN; expected arn:<partition>:sns:<region>:<account>:<topic>',
    ],
    [
      'a topic in another region',
      { audit: { snsTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts' } },
      {},
      'environments.prod.audit.snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts" is in aws/us-east-1, but the key is in aws/eu-west-1; EventBridge sends to a topic of the rule\'s own region',
    ],
    [
      'a topic in another partition',
      { audit: { snsTopicArn: 'arn:aws-cn:sns:eu-west-1:111122223333:alerts' } },
      {},
      'environments.prod.audit.snsTopicArn: "arn:aws-cn:sns:eu-west-1:111122223333:alerts" is in aws-cn/eu-west-1, but the key is in aws/eu-west-1; EventBridge sends to a topic of the rule\'s own region',
    ],
    [
      'a topic with replicas',
      {
        audit: { snsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts' },
        key: { alias: 'app', multiRegion: true, replicaRegions: ['us-west-2'] },
      },
      {},
      'environments.prod.audit.snsTopicArn: is given with key.replicaRegions; each region where a key lives needs a topic of its own region, so leave snsTopicArn out and the app creates one per region',
    ],
    [
      'an unknown event name',
      { audit: { emails: ['a@example.com'], events: ['PutKeyPolicies'] } },
      {},
      'environments.prod.audit.events[0]: "PutKeyPolicies" is not a KMS API operation (as CloudTrail names it, e.g. "PutKeyPolicy")',
    ],
    [
      'an empty event list',
      { audit: { emails: ['a@example.com'], events: [] } },
      {},
      'environments.prod.audit.events: is empty; leave it out for the default events',
    ],
    [
      'an event twice',
      { audit: { emails: ['a@example.com'], events: ['DisableKey', 'DisableKey'] } },
      {},
      'environments.prod.audit.events[1]: "DisableKey" is listed twice',
    ],
  ])('%s is refused', (_label, overrides, _unused, message) => {
    expect(problems(config(overrides))).toEqual([message]);
  });

  test('the alert key’s alias is unique per account and region like every alias', () => {
    const both = {
      environments: {
        prod: env({ audit: { emails: ['a@example.com'] } }),
        other: env({ key: { alias: 'prod-kms-key-alerts' } }),
      },
    };
    expect(problems(both)).toEqual([
      'environments.other.key.alias: "alias/prod-kms-key-alerts" is already used by environment "prod" in 111122223333 and eu-west-1; aliases are unique per account and region',
    ]);
  });

  test('an environment name too long for the rule names', () => {
    const name = `e${'x'.repeat(47)}`;
    expect(problems(config({ audit: { emails: ['a@example.com'] } }, name))).toEqual([
      `environments.${name}.audit: needs an environment name of at most 47 characters (this one has 48): the alert rules are named <environment>-kms-key-changes and EventBridge allows 64`,
    ]);
  });
});

describe('expectedRequestsPerMonth', () => {
  test('defaults to 0', () => {
    expect(parseConfig(config({})).environments[0].expectedRequestsPerMonth).toBe(0);
  });

  test.each<[unknown, string]>([
    [-1, 'environments.prod.expectedRequestsPerMonth: -1 is negative; give the expected KMS requests per month, 0 or more'],
    [1.5, 'environments.prod.expectedRequestsPerMonth: 1.5 must be a whole number'],
    ['1000', 'environments.prod.expectedRequestsPerMonth: expected a whole number of requests, got "1000"'],
    [
      1e13,
      "environments.prod.expectedRequestsPerMonth: 10000000000000 is more than 1000000000000 requests a month (KMS's quotas allow far fewer); give a realistic estimate",
    ],
  ])('%j is refused', (value, message) => {
    expect(problems(config({ expectedRequestsPerMonth: value }))).toEqual([message]);
  });
});
