/**
 * Alerts on risky changes to a key in one region: two EventBridge rules (the key's CloudTrail
 * management events, and KMS's deletion event) sending to an SNS topic. Without a given topic, it
 * creates one encrypted with a key made only for alerts (rotation on, `prevent_destroy`), a topic
 * policy that lets only EventBridge publish, from these rules, and one email subscription per
 * address.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { alertKeyStatements, alertNames, eventRuleArn, keyApiCallPattern, keyDeletionPattern } from '../policy/alerts';
import type { PolicyStatement } from '../policy/statement';
import type { AwsContext } from './aws-context';
import { toPolicyDocumentStatements } from './policy-document';
import { fixAddress } from './terraform-name';

/** What the alerts of one key region need. */
export interface KeyAlertsProps {
  /** The environment's name: the alert resources are named after it (`policy/alerts.ts`). */
  readonly environment: string;
  /** The ARN of the key watched in this region (the primary, or a replica). */
  readonly keyArn: string;
  /** Partition, region (this one) and account. */
  readonly aws: AwsContext;
  /** The provider of this region (undefined: the stack's default provider). */
  readonly provider?: TerraformProvider;
  /** The address suffix of this region's resources: `""` for the primary's, `_us_west_2` for a replica's. */
  readonly addressSuffix: string;
  /** CloudTrail event names to alert on. */
  readonly events: readonly string[];
  /** Email addresses to subscribe. */
  readonly emails: readonly string[];
  /** An existing topic to send to instead of creating one. */
  readonly snsTopicArn?: string;
  /** The secrets key's administrators, who administer the alert key too. */
  readonly administrators: readonly string[];
  /** `prevent_destroy` of the alert key (as the secrets key's). */
  readonly preventDestroy: boolean;
}

/** The alert resources of one region. */
export class KeyAlerts extends Construct {
  readonly changesRule: CloudwatchEventRule;
  readonly deletionRule: CloudwatchEventRule;
  /** The topic the rules send to (created, or given). */
  readonly topicArn: string;
  /** The key made only for alerts, when the topic is created here. */
  readonly alertKey: KmsKey | undefined;
  readonly alertKeyPolicy: DataAwsIamPolicyDocument | undefined;
  /** The alert key's policy as model statements, when the key is created here. */
  readonly alertKeyPolicyStatements: readonly PolicyStatement[] | undefined;

  constructor(scope: Construct, id: string, props: KeyAlertsProps) {
    super(scope, id);
    const { aws, provider, addressSuffix: suffix } = props;
    const names = alertNames(props.environment);
    const ruleArns = [names.changesRule, names.deletionRule].map((name) => eventRuleArn(aws.partition, aws.region, aws.accountId, name));

    if (props.snsTopicArn === undefined) {
      this.alertKeyPolicyStatements = alertKeyStatements({
        partition: aws.partition,
        accountId: aws.accountId,
        administrators: props.administrators,
      });
      this.alertKeyPolicy = fixAddress(
        new DataAwsIamPolicyDocument(this, 'key_policy', { statement: toPolicyDocumentStatements(this.alertKeyPolicyStatements) }),
        `alert_key${suffix}_policy`,
      );
      this.alertKey = fixAddress(
        new KmsKey(this, 'key', {
          provider,
          description: `Encrypts the alerts on changes to the key of environment ${props.environment}; made only for alerts`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          bypassPolicyLockoutSafetyCheck: false,
          policy: this.alertKeyPolicy.json,
          lifecycle: { preventDestroy: props.preventDestroy },
        }),
        `alert_key${suffix}`,
      );
      fixAddress(new KmsAlias(this, 'alias', { provider, name: names.alias, targetKeyId: this.alertKey.keyId }), `alert_key${suffix}`);
      const topic = fixAddress(
        new SnsTopic(this, 'topic', { provider, name: names.topic, kmsMasterKeyId: this.alertKey.arn }),
        `alerts${suffix}`,
      );
      this.topicArn = topic.arn;
      const topicPolicy = fixAddress(
        new DataAwsIamPolicyDocument(this, 'topic_policy', {
          statement: toPolicyDocumentStatements([
            {
              sid: 'EventBridgeRulesPublish',
              effect: 'Allow',
              principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
              actions: ['sns:Publish'],
              resources: [topic.arn],
              conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ruleArns }],
            },
          ]),
        }),
        `alerts${suffix}_topic_policy`,
      );
      fixAddress(
        new SnsTopicPolicy(this, 'topic_policy_attachment', { provider, arn: topic.arn, policy: topicPolicy.json }),
        `alerts${suffix}`,
      );
      props.emails.forEach((email, index) =>
        fixAddress(
          new SnsTopicSubscription(this, `email_${index}`, { provider, topicArn: topic.arn, protocol: 'email', endpoint: email }),
          `alerts${suffix}_email_${index}`,
        ),
      );
    } else {
      this.topicArn = props.snsTopicArn;
      this.alertKeyPolicyStatements = undefined;
    }

    const rule = (name: string, address: string, description: string, pattern: Record<string, unknown>) => {
      const created = fixAddress(
        new CloudwatchEventRule(this, address, { provider, name, description, eventPattern: JSON.stringify(pattern) }),
        `${address}${suffix}`,
      );
      fixAddress(
        new CloudwatchEventTarget(this, `${address}_target`, { provider, rule: created.name, targetId: 'sns', arn: this.topicArn }),
        `${address}${suffix}`,
      );
      return created;
    };
    this.changesRule = rule(
      names.changesRule,
      'key_changes',
      `Risky changes to the KMS key of environment ${props.environment}`,
      keyApiCallPattern(props.keyArn, props.events),
    );
    this.deletionRule = rule(
      names.deletionRule,
      'key_deletion',
      `Deletion of the KMS key of environment ${props.environment}`,
      keyDeletionPattern(props.keyArn),
    );
  }
}
