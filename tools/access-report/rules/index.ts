/** Every risk rule, by id (the file name). */
import { administratorUsesKey } from './administrator-uses-key';
import { anonymousAllowed } from './anonymous-allowed';
import { appRoleOutsideSecretsManager } from './app-role-outside-secrets-manager';
import { iamDelegation } from './iam-delegation';
import { nonAdministratorControlsKey } from './non-administrator-controls-key';
import { outsideAccount } from './outside-account';
import type { RiskRule, SecretCellRule } from './rule';
import { secretsManagerUseWithoutSecretArn } from './secrets-manager-use-without-secret-arn';

export type { RiskRule, RuleContext, SecretCellFinding, SecretCellRule } from './rule';

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
