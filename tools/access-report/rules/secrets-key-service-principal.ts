/**
 * The secrets key's policy names no service principal. Secrets Manager uses the key with the
 * permissions of whoever calls it (the caller's grant, with `kms:ViaService`), so the walk-through's
 * `secretsmanager.amazonaws.com` with `kms:*` is never needed; a key policy statement that names a
 * service lets that service use the key on behalf of anyone who can call it, in any account, and
 * with `kms:*` manage it too. `*` names every principal, services included, unless a condition
 * holds the caller to the key's account or organization (a service principal carries neither).
 *
 * Only Allow statements count: a Deny takes access away and grants none.
 */
import type { AwsStatement } from '../../../policy/render';
import { actionsOf, type KeyPolicyRule, namedPrincipals } from './rule';

/** Condition operators that hold only when the key is present and matches: `IfExists`, `Not` and set operators are not enough. */
const POSITIVE_OPERATORS = ['StringEquals', 'StringLike', 'ArnEquals', 'ArnLike'];

/** Keys that carry the caller's account, compared without case as IAM compares condition keys. */
const ACCOUNT_KEYS = ['kms:calleraccount', 'aws:principalaccount'];

/** The account field of an ARN (`arn:aws:iam::111122223333:role/x` gives `111122223333`). */
const arnAccount = (arn: string): string | undefined => arn.split(':')[4];

/**
 * True when a condition of the statement holds the caller to `accountId` or to an organization:
 * `kms:CallerAccount` or `aws:PrincipalAccount` equal to it, `aws:PrincipalArn` naming its
 * principals only, or `aws:PrincipalOrgID` equal to literal ids (as `key.additionalStatements`
 * accepts, so that a config the schema accepts passes this rule). Conditions are ANDed, so one such
 * condition is enough.
 */
function holdsCaller(statement: AwsStatement, accountId: string): boolean {
  return Object.entries(statement.Condition ?? {}).some(
    ([operator, byKey]) =>
      POSITIVE_OPERATORS.includes(operator) &&
      Object.entries(byKey).some(([key, value]) => {
        const values = [value].flat();
        const name = key.toLowerCase();
        if (values.length === 0) return false;
        if (ACCOUNT_KEYS.includes(name)) return operator.startsWith('String') && values.every((v) => v === accountId);
        if (name === 'aws:principalorgid') return operator === 'StringEquals' && values.every((v) => v !== '' && !/[*?$]/.test(v));
        return name === 'aws:principalarn' && values.every((v) => arnAccount(v) === accountId);
      }),
  );
}

/** Flags an Allow statement that names a service principal, or `*` without a condition holding the caller to the account or organization. */
export const secretsKeyServicePrincipal: KeyPolicyRule = ({ label, statement }, { accountId }) => {
  if (statement.Effect !== 'Allow') return undefined;
  const principals = namedPrincipals(statement);
  const actions = actionsOf(statement).join(', ');
  const services = principals.filter((p) => p.type === 'Service').map((p) => p.value);
  if (services.length > 0) {
    return `statement ${label} names the service principal ${services.join(', ')} (${actions}): Secrets Manager uses the key with the permissions of whoever calls it, so the secrets key's policy names no service; allowed: IAM principals of account ${accountId}, via Secrets Manager (grantSecretsManagerUse)`;
  }
  if (principals.some((p) => p.type === 'AWS' && p.value === '*') && !holdsCaller(statement, accountId)) {
    return `statement ${label} allows "*" (${actions}), which names every principal, services included, and no condition holds the caller to account ${accountId} or an organization; allowed: "*" only with StringEquals kms:CallerAccount or aws:PrincipalAccount ${accountId}, aws:PrincipalArn of that account, or StringEquals aws:PrincipalOrgID`;
  }
  return undefined;
};
