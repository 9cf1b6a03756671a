/** Every risk rule, by id (the file name). */
import { administratorGrantUsesKey, administratorUsesKey } from './administrator-uses-key';
import { alertKeyNamesOtherPrincipal } from './alert-key-names-other-principal';
import { anonymousAllowed } from './anonymous-allowed';
import { appRoleGrantOutsideSecretsManager, appRoleOutsideSecretsManager } from './app-role-outside-secrets-manager';
import { grantReDelegates } from './grant-re-delegates';
import { iamDelegation } from './iam-delegation';
import { nonAdministratorControlsKey } from './non-administrator-controls-key';
import { outsideAccount } from './outside-account';
import type { KeyPolicyRule, KmsGrantRule, RiskRule, SecretCellRule } from './rule';
import { secretsKeyServicePrincipal } from './secrets-key-service-principal';
import { secretsManagerUseWithoutSecretArn } from './secrets-manager-use-without-secret-arn';
import { serviceBeyondAlertPublishing } from './service-beyond-alert-publishing';

export type {
  KeyPolicyRule,
  KeyPolicyRuleContext,
  KmsGrantRule,
  KmsGrantRuleContext,
  LabelledStatement,
  RiskRule,
  RuleContext,
  SecretCellFinding,
  SecretCellRule,
} from './rule';
export { ALERT_PUBLISHER_SERVICE } from './alert-key-names-other-principal';

/** The rules the report applies to every cell that is not Denied. */
export const RISK_RULES: Readonly<Record<string, RiskRule>> = {
  'non-administrator-controls-key': nonAdministratorControlsKey,
  'administrator-uses-key': administratorUsesKey,
  'outside-account': outsideAccount,
  'app-role-outside-secrets-manager': appRoleOutsideSecretsManager,
  'anonymous-allowed': anonymousAllowed,
  'iam-delegation': iamDelegation,
};

/** The rules the report applies to every cell by secret that is not Denied. */
export const SECRET_CELL_RULES: Readonly<Record<string, SecretCellRule>> = {
  'secrets-manager-use-without-secret-arn': secretsManagerUseWithoutSecretArn,
};

/**
 * The rules the report applies to every KMS grant. The first two are the cell rules of the same id
 * applied to a grant (an administrator using the key, a role of this app outside Secrets Manager).
 */
export const KMS_GRANT_RULES: Readonly<Record<string, KmsGrantRule>> = {
  'administrator-uses-key': administratorGrantUsesKey,
  'app-role-outside-secrets-manager': appRoleGrantOutsideSecretsManager,
  'grant-re-delegates': grantReDelegates,
};

/**
 * The rules the report applies to every cell of the alert key's matrix that is not Denied: the
 * cell rules above (an administrator may manage the alert key but not use it, as for the secrets
 * key), and a service may only publish.
 */
export const ALERT_KEY_RISK_RULES: Readonly<Record<string, RiskRule>> = {
  ...RISK_RULES,
  'service-beyond-alert-publishing': serviceBeyondAlertPublishing,
};

/** The rules the report applies to every statement of the secrets key's policy and of its replicas' policies. */
export const SECRETS_KEY_POLICY_RULES: Readonly<Record<string, KeyPolicyRule>> = {
  'secrets-key-service-principal': secretsKeyServicePrincipal,
};

/** The rules the report applies to every statement of every alert key's policy. */
export const ALERT_KEY_POLICY_RULES: Readonly<Record<string, KeyPolicyRule>> = {
  'alert-key-names-other-principal': alertKeyNamesOtherPrincipal,
};
