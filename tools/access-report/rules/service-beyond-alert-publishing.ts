/**
 * A service principal may use the key made only for alerts for publishing to the encrypted topic
 * only: `kms:Decrypt` and `kms:GenerateDataKey*`, the two actions AWS's SNS guide gives a publisher
 * to an encrypted topic. Anything else (Encrypt, DescribeKey, PutKeyPolicy, ...) is more than
 * publishing needs.
 */
import type { RiskRule } from './rule';

/** What publishing to an encrypted SNS topic needs of its key, as action patterns. */
export const ALERT_PUBLISHING_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:GenerateDataKey*'];

const publishes = (action: string) => action === 'kms:Decrypt' || action.startsWith('kms:GenerateDataKey');

/** Flags any action but Decrypt and GenerateDataKey* allowed to a service principal. */
export const serviceBeyondAlertPublishing: RiskRule = (cell, row) =>
  row.kind === 'service-principal' && !publishes(cell.action)
    ? `${row.label} may call ${cell.action}; publishing alerts to the encrypted topic needs ${ALERT_PUBLISHING_ACTIONS.join(' and ')} only`
    : undefined;
