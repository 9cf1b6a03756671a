/** Every risk rule, by id (the file name). */
import { administratorGrantUsesKey, administratorUsesKey } from './administrator-uses-key';
import { anonymousAllowed } from './anonymous-allowed';
import { appRoleGrantOutsideSecretsManager, appRoleOutsideSecretsManager } from './app-role-outside-secrets-manager';
import { grantReDelegates } from './grant-re-delegates';
import { iamDelegation } from './iam-delegation';
import { nonAdministratorControlsKey } from './non-administrator-controls-key';
import { outsideAccount } from './outside-account';
import type { KmsGrantRule, RiskRule, SecretCellRule } from './rule';
import { secretsManagerUseWithoutSecretArn } from './secrets-manager-use-without-secret-arn';

export type { KmsGrantRule, KmsGrantRuleContext, RiskRule, RuleContext, SecretCellFinding, SecretCellRule } from './rule';

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
