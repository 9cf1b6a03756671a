/**
 * Alerts on risky changes to the key (`environments.<name>.audit`): EventBridge rules on the key's
 * CloudTrail management events and on KMS's own deletion event, sent to an SNS topic. Key
 * administrators keep `kms:PutKeyPolicy` (they must, to manage the key) and could write themselves
 * access; no policy prevents that, so it is detected.
 */
import { z } from 'zod';
import { typed } from './errors';
import { KMS_API_OPERATIONS } from '../policy/kms-operations';
import { expected, matching, show, strictObject } from './fields';

/** The CloudTrail event names alerted on by default: changes that take the key or its access away, or widen who may use it. */
export const DEFAULT_AUDIT_EVENTS = [
  'ScheduleKeyDeletion',
  'DisableKey',
  'PutKeyPolicy',
  'CreateGrant',
  'DisableKeyRotation',
  'DeleteAlias',
  'UpdateAlias',
  'ReplicateKey',
  'UpdatePrimaryRegion',
  'CancelKeyDeletion',
  'DeleteImportedKeyMaterial',
] as const;

/** Alert settings, as written in the config. */
export interface AuditSettings {
  /**
   * Addresses subscribed to the alerts (each must confirm the subscription email). At least one of
   * `emails` and `snsTopicArn`.
   * @default none
   */
  readonly emails?: readonly string[];
  /**
   * An existing SNS topic to send the alerts to, in the key's partition and region (EventBridge sends
   * to a topic of the rule's region only). Without it the app creates a topic encrypted with a key
   * made only for alerts. Not with `key.replicaRegions` (each region needs a topic of its own).
   * @default none: a topic is created
   */
  readonly snsTopicArn?: string;
  /**
   * KMS API operations, as CloudTrail names them, that raise an alert.
   * @default the eleven of DEFAULT_AUDIT_EVENTS
   */
  readonly events?: readonly string[];
}

/** Alert settings with their defaults applied. */
export interface ResolvedAuditSettings {
  readonly emails: readonly string[];
  readonly snsTopicArn: string | undefined;
  readonly events: readonly string[];
}

/** A plain, common form of an email address: enough to catch typos, not RFC 5322. */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An SNS topic ARN: `arn:<partition>:sns:<region>:<account>:<name>`. */
export const SNS_TOPIC_ARN = /^arn:([a-z-]+):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;

/** The audit schema. */
export const auditSchema = typed<ResolvedAuditSettings, AuditSettings>()(
  strictObject({
    emails: z
      .array(matching(EMAIL, 'is not an email address'), { error: expected('a list of email addresses') })
      .superRefine((emails, ctx) => {
        emails.forEach((email, index) => {
          if (emails.findIndex((e) => e.toLowerCase() === email.toLowerCase()) !== index)
            ctx.addIssue({ code: 'custom', path: [index], message: `${show(email)} is listed twice` });
        });
      })
      .optional(),
    snsTopicArn: matching(SNS_TOPIC_ARN, 'is not an SNS topic ARN; expected arn:<partition>:sns:<region>:<account>:<topic>').optional(),
    events: z
      .array(
        z.enum(KMS_API_OPERATIONS, {
          error: (issue) => `${show(issue.input)} is not a KMS API operation (as CloudTrail names it, e.g. "PutKeyPolicy")`,
        }),
        { error: expected('a list of KMS API operation names') },
      )
      .superRefine((events, ctx) => {
        if (events.length === 0) ctx.addIssue({ code: 'custom', message: 'is empty; leave it out for the default events' });
        events.forEach((event, index) => {
          if (events.indexOf(event) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `${show(event)} is listed twice` });
        });
      })
      .optional(),
  })
    .superRefine((audit, ctx) => {
      if ((audit.emails === undefined || audit.emails.length === 0) && audit.snsTopicArn === undefined) {
        ctx.addIssue({ code: 'custom', message: 'needs emails or snsTopicArn: alerts must go somewhere' });
      }
    })
    .transform((audit) => ({
      emails: audit.emails ?? [],
      snsTopicArn: audit.snsTopicArn,
      events: audit.events ?? [...DEFAULT_AUDIT_EVENTS],
    })),
);
