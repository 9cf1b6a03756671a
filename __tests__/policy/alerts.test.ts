/**
 * The alert patterns against sample events: each default event name in CloudTrail's shape and
 * KMS's deletion event match for the watched key, and the same events for another key do not.
 * The matcher below implements EventBridge's exact-value and array rules, which is all the patterns
 * use: a field's list of values matches when the event's value (or any element of an event array)
 * is one of them; a nested pattern object matches an event object, or any element of an array of
 * objects.
 */
import { DEFAULT_AUDIT_EVENTS } from '../../config/audit-schema';
import { alertKeyStatements, alertNames, keyApiCallPattern, keyDeletionPattern, MAX_ALERT_ENVIRONMENT_NAME } from '../../policy/alerts';

type Json = Record<string, unknown>;

function matches(pattern: Json, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([field, rule]) => {
    const value = (event as Json)[field];
    if (value === undefined) return false;
    const candidates = Array.isArray(value) ? value : [value];
    if (Array.isArray(rule)) return candidates.some((candidate) => rule.includes(candidate));
    return candidates.some((candidate) => matches(rule as Json, candidate));
  });
}

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0987dcba-09ab-76cd-54ef-0987654321ba`;

/** A CloudTrail management event about `keyArn`, as EventBridge delivers it. */
function cloudTrailEvent(eventName: string, keyArn: string): Json {
  return {
    version: '0',
    source: 'aws.kms',
    account: ACCOUNT,
    region: 'eu-west-1',
    'detail-type': 'AWS API Call via CloudTrail',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventSource: 'kms.amazonaws.com',
      eventName,
      awsRegion: 'eu-west-1',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/alice` },
      requestParameters: { keyId: keyArn },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArn }],
      readOnly: false,
      managementEvent: true,
      eventCategory: 'Management',
    },
  };
}

/** KMS's own event when a key's waiting period ends and it is deleted. */
function deletionEvent(keyArn: string): Json {
  return {
    version: '0',
    source: 'aws.kms',
    account: ACCOUNT,
    region: 'eu-west-1',
    'detail-type': 'KMS CMK Deletion',
    resources: [keyArn],
    detail: { 'key-id': keyArn.split('/')[1] },
  };
}

describe('the matcher follows EventBridge’s exact-value and array rules', () => {
  test('a value in the list matches; an array of event values matches when any does; nested objects match any element', () => {
    expect(matches({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matches({ a: ['x'] }, { a: 'z' })).toBe(false);
    expect(matches({ a: ['x'] }, { a: ['z', 'x'] })).toBe(true);
    expect(matches({ a: { b: ['1'] } }, { a: [{ b: '2' }, { b: '1' }] })).toBe(true);
    expect(matches({ a: ['x'] }, {})).toBe(false);
  });
});

describe('changes to the key: CloudTrail management events', () => {
  const pattern = keyApiCallPattern(KEY, DEFAULT_AUDIT_EVENTS);

  test.each(DEFAULT_AUDIT_EVENTS)('%s on the key matches', (eventName) => {
    expect(matches(pattern, cloudTrailEvent(eventName, KEY))).toBe(true);
  });

  test.each(DEFAULT_AUDIT_EVENTS)('%s on another key does not match', (eventName) => {
    expect(matches(pattern, cloudTrailEvent(eventName, OTHER_KEY))).toBe(false);
  });

  test('events left out do not match (Decrypt, a read-only event, and EnableKey)', () => {
    expect(matches(pattern, cloudTrailEvent('Decrypt', KEY))).toBe(false);
    expect(matches(pattern, cloudTrailEvent('EnableKey', KEY))).toBe(false);
  });

  test('a configured list replaces the default', () => {
    expect(matches(keyApiCallPattern(KEY, ['EnableKey']), cloudTrailEvent('EnableKey', KEY))).toBe(true);
  });

  test('KMS’s deletion event is not a CloudTrail event and does not match this pattern', () => {
    expect(matches(pattern, deletionEvent(KEY))).toBe(false);
  });
});

describe('deletion of the key: KMS’s own event', () => {
  const pattern = keyDeletionPattern(KEY);

  test('the key’s deletion event matches; another key’s does not', () => {
    expect(matches(pattern, deletionEvent(KEY))).toBe(true);
    expect(matches(pattern, deletionEvent(OTHER_KEY))).toBe(false);
  });

  test('a CloudTrail ScheduleKeyDeletion event does not match this pattern (its top-level resources are empty)', () => {
    expect(matches(pattern, cloudTrailEvent('ScheduleKeyDeletion', KEY))).toBe(false);
  });
});

describe('names and the alert key’s policy', () => {
  test('names follow the environment, and the longest environment name fits EventBridge’s 64 characters', () => {
    expect(alertNames('prod')).toEqual({
      changesRule: 'prod-kms-key-changes',
      deletionRule: 'prod-kms-key-deletion',
      topic: 'prod-kms-key-alerts',
      alias: 'alias/prod-kms-key-alerts',
    });
    const longest = alertNames('e'.repeat(MAX_ALERT_ENVIRONMENT_NAME));
    expect(Math.max(longest.changesRule.length, longest.deletionRule.length)).toBe(64);
  });

  test('the alert key: the account root, the administrators, and EventBridge with Decrypt and GenerateDataKey* only', () => {
    const statements = alertKeyStatements({ partition: 'aws', accountId: ACCOUNT, administrators: [`arn:aws:iam::${ACCOUNT}:role/admin`] });
    expect(statements.map((s) => [s.sid, s.principals?.[0].type, s.principals?.[0].identifiers])).toEqual([
      ['EnableIamUserPermissions', 'AWS', [`arn:aws:iam::${ACCOUNT}:root`]],
      ['KeyAdministrators', 'AWS', [`arn:aws:iam::${ACCOUNT}:role/admin`]],
      ['EventBridgePublishesAlerts', 'Service', ['events.amazonaws.com']],
    ]);
    expect(statements[2].actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statements[1].actions).not.toContain('kms:Decrypt');
  });
});
