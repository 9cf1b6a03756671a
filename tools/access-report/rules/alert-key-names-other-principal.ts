/**
 * The key made only for alerts names three principals and nobody else: the account root
 * (delegation to IAM), the key's administrators, and EventBridge, which encrypts the alerts it
 * publishes to the topic. Anyone else it names has no row in the alert key's matrix, so this rule
 * reads the statements. Only Allow statements count: a Deny takes access away and grants none.
 */
import { accountRootArn } from '../../../policy/arn';
import { actionsOf, type KeyPolicyRule, type NamedPrincipal, namedPrincipals, samePrincipal } from './rule';

/** The service that publishes the alerts, the only service the alert key's policy may name. */
export const ALERT_PUBLISHER_SERVICE = 'events.amazonaws.com';

/** Flags an Allow statement of the alert key's policy that names anyone but the account root, an administrator or EventBridge. */
export const alertKeyNamesOtherPrincipal: KeyPolicyRule = ({ label, statement }, { partition, accountId, administrators }) => {
  if (statement.Effect !== 'Allow') return undefined;
  const expected = (p: NamedPrincipal) =>
    p.type === 'Service'
      ? p.value === ALERT_PUBLISHER_SERVICE
      : p.type === 'AWS' &&
        (p.value === accountId ||
          samePrincipal(p.value, accountRootArn(partition, accountId)) ||
          administrators.some((a) => samePrincipal(a, p.value)));
  const others = namedPrincipals(statement).filter((p) => !expected(p));
  return others.length > 0
    ? `statement ${label} names ${others.map((p) => `${p.type} ${p.value}`).join(', ')} (${actionsOf(statement).join(', ')}): the key made only for alerts names the account root, the key's administrators and ${ALERT_PUBLISHER_SERVICE}, nobody else`
    : undefined;
};
