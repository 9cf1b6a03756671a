/**
 * What the audit alerts match and who may take part, as plain data: the two EventBridge event
 * patterns on a key, the names of the alert resources, and the policy of the key made only for
 * alerts. The constructs turn these into resources; the tests match the patterns against sample
 * events.
 */
import { accountRootArn } from './arn';
import { adminActions } from './actions';
import { awsPrincipals, type PolicyStatement, servicePrincipal } from './statement';

/**
 * CloudTrail management events about the key: `eventName` one of `events`, the key among the event's
 * resources. EventBridge receives them only when a CloudTrail trail logs management events in that
 * region.
 */
export function keyApiCallPattern(keyArn: string, events: readonly string[]): Record<string, unknown> {
  return {
    source: ['aws.kms'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['kms.amazonaws.com'], eventName: [...events], resources: { ARN: [keyArn] } },
  };
}

/** KMS's own event when the key is deleted at the end of its waiting period. */
export function keyDeletionPattern(keyArn: string): Record<string, unknown> {
  return { source: ['aws.kms'], 'detail-type': ['KMS CMK Deletion'], resources: [keyArn] };
}

/** The longest environment name the alert names fit (EventBridge rule names: at most 64 characters). */
export const MAX_ALERT_ENVIRONMENT_NAME = 64 - '-kms-key-deletion'.length;

/**
 * The names of an environment's alert resources, the same in every region where a key lives (each
 * region's are its own resources): unique per account and region because environment names are.
 */
export function alertNames(environment: string): {
  readonly changesRule: string;
  readonly deletionRule: string;
  readonly topic: string;
  readonly alias: string;
} {
  return {
    changesRule: `${environment}-kms-key-changes`,
    deletionRule: `${environment}-kms-key-deletion`,
    topic: `${environment}-kms-key-alerts`,
    alias: `alias/${environment}-kms-key-alerts`,
  };
}

/** The ARN of an EventBridge rule on the default bus, built so that it is known at plan time. */
export function eventRuleArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
}

/** Sids of the alert key's policy. */
export const ALERT_KEY_SIDS = {
  accountRoot: 'EnableIamUserPermissions',
  administrators: 'KeyAdministrators',
  eventBridge: 'EventBridgePublishesAlerts',
} as const;

/**
 * The policy of the key that encrypts the alert topic: the account (IAM delegation), the secrets
 * key's administrators, and EventBridge with the two actions an encrypted SNS topic needs of a
 * publisher (AWS's SNS guide gives these; it supports no source condition there). This is a second
 * key on purpose: a disabled or deleted secrets key could not encrypt its own alerts.
 */
export function alertKeyStatements(input: {
  readonly partition: string;
  readonly accountId: string;
  readonly administrators: readonly string[];
}): PolicyStatement[] {
  return [
    {
      sid: ALERT_KEY_SIDS.accountRoot,
      effect: 'Allow',
      principals: [awsPrincipals([accountRootArn(input.partition, input.accountId)])],
      actions: ['kms:*'],
      resources: ['*'],
    },
    ...(input.administrators.length > 0
      ? [
          {
            sid: ALERT_KEY_SIDS.administrators,
            effect: 'Allow' as const,
            principals: [awsPrincipals(input.administrators)],
            actions: adminActions({ rotatable: true, multiRegion: false }),
            resources: ['*'],
          },
        ]
      : []),
    {
      sid: ALERT_KEY_SIDS.eventBridge,
      effect: 'Allow',
      principals: [servicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    },
  ];
}
