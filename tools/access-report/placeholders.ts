/**
 * Stand-in values for what only exists after apply: the account (when the config leaves it to the
 * credentials Terraform runs with) and the key's ARN. The evaluator needs concrete ARNs; these are
 * AWS's documentation examples, never real resources.
 */
import type { EnvironmentConfig } from '../../config/schema';

/** Account used when the config has no `accountId`. */
export const PLACEHOLDER_ACCOUNT_ID = '111122223333';

/** The "other account" row's account, unless it equals the key's account. */
const OTHER_ACCOUNT_IDS = ['444455556666', '777788889999'] as const;

/** The key id used in the placeholder key ARN. */
export const PLACEHOLDER_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

/**
 * The key id in the placeholder ARN of a key made only for alerts: another of AWS's documentation
 * examples, so that the alert key's ARN never equals the secrets key's.
 */
export const PLACEHOLDER_ALERT_KEY_ID = '0987dcba-09fe-87dc-65ba-ab0987654321';

/** The placeholder ARN of the key made only for alerts in `region`. */
export function alertKeyArn(placeholders: Placeholders, region: string): string {
  return `arn:${placeholders.partition}:kms:${region}:${placeholders.accountId}:key/${PLACEHOLDER_ALERT_KEY_ID}`;
}

/** The concrete values one environment is evaluated with. */
export interface Placeholders {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly otherAccountId: string;
  readonly keyArn: string;
}

/** The placeholders of an environment: its configured account, or the example account. */
export function placeholdersFor(environment: EnvironmentConfig): Placeholders {
  const accountId = environment.accountId ?? PLACEHOLDER_ACCOUNT_ID;
  const { partition, region } = environment;
  return {
    partition,
    region,
    accountId,
    otherAccountId: OTHER_ACCOUNT_IDS.find((id) => id !== accountId)!,
    keyArn: `arn:${partition}:kms:${region}:${accountId}:key/${PLACEHOLDER_KEY_ID}`,
  };
}
