/**
 * The key policy as data: the account-root delegation, administrators, direct users and grants,
 * each one statement with a fixed Sid. The constructs feed these statements to Terraform; tests
 * and reports render the same statements to AWS JSON.
 */
import { accountRootArn, arnShortName } from './arn';
import { adminActions, userActions } from './actions';
import { isSymmetricEncryption, type KeySpec, type KeyUsage } from './key-spec';
import type { ExtraStatement } from './extra-statements';
import { awsPrincipals, type Condition, type PolicyStatement } from './statement';

/** Sids of the statements every key policy may have. */
export const KEY_POLICY_SIDS = {
  accountRoot: 'EnableIamUserPermissions',
  administrators: 'KeyAdministrators',
  users: 'KeyUsers',
} as const;

/** Access given to one principal through a grant method, e.g. `grantDecrypt`. */
export interface KeyGrant {
  /** Statement id; unique within the policy. */
  readonly sid: string;
  /** IAM ARN of the principal. */
  readonly principalArn: string;
  readonly actions: readonly string[];
  readonly conditions: readonly Condition[];
}

/** Everything the key policy depends on. */
export interface KeyPolicyInput {
  readonly partition: string;
  readonly accountId: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly multiRegion: boolean;
  readonly enableIamUserPermissions: boolean;
  readonly administrators: readonly string[];
  /** Administrators may schedule and cancel key deletion. */
  readonly allowAdministratorsToDeleteKey: boolean;
  readonly users: readonly string[];
  readonly grants: readonly KeyGrant[];
  /** Extra statements (`extra-statements.ts`), checked before they get here. @default [] */
  readonly extraStatements?: readonly ExtraStatement[];
}

/** The key policy statements, in a fixed order: root, administrators, users, grants, extra statements. */
export function keyPolicyStatements(input: KeyPolicyInput): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (input.enableIamUserPermissions) {
    statements.push({
      sid: KEY_POLICY_SIDS.accountRoot,
      effect: 'Allow',
      principals: [awsPrincipals([accountRootArn(input.partition, input.accountId)])],
      actions: ['kms:*'],
      resources: ['*'],
    });
  }
  if (input.administrators.length > 0) {
    statements.push({
      sid: KEY_POLICY_SIDS.administrators,
      effect: 'Allow',
      principals: [awsPrincipals(input.administrators)],
      actions: adminActions({
        rotatable: isSymmetricEncryption(input.keySpec, input.keyUsage),
        multiRegion: input.multiRegion,
        canDelete: input.allowAdministratorsToDeleteKey,
      }),
      resources: ['*'],
    });
  }
  if (input.users.length > 0) {
    statements.push({
      sid: KEY_POLICY_SIDS.users,
      effect: 'Allow',
      principals: [awsPrincipals(input.users)],
      actions: userActions(input.keySpec, input.keyUsage),
      resources: ['*'],
    });
  }
  for (const grant of input.grants) {
    statements.push({
      sid: grant.sid,
      effect: 'Allow',
      principals: [awsPrincipals([grant.principalArn])],
      actions: grant.actions,
      resources: ['*'],
      conditions: grant.conditions.length > 0 ? grant.conditions : undefined,
    });
  }
  for (const extra of input.extraStatements ?? []) {
    statements.push({ ...extra, principals: extra.principals.map((p) => ({ ...p, identifiers: [...p.identifiers] })), resources: ['*'] });
  }
  return statements;
}

function sameConditions(a: readonly Condition[], b: readonly Condition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Adds a grant to a list, returning the new list and the statement that now holds the grant: a grant to the same principal under the same conditions widens the
 * existing statement instead of adding another. New grants get a Sid derived from the
 * principal's name, made unique within the list.
 */
export function addGrant(
  grants: readonly KeyGrant[],
  grant: Omit<KeyGrant, 'sid'> & { readonly sid?: string },
  reservedSids: readonly string[] = Object.values(KEY_POLICY_SIDS),
): { readonly grants: KeyGrant[]; readonly grant: KeyGrant } {
  const existing = grants.findIndex(
    (g) =>
      g.principalArn === grant.principalArn &&
      sameConditions(g.conditions, grant.conditions) &&
      (grant.sid === undefined || g.sid === grant.sid),
  );
  if (existing >= 0) {
    const widened = { ...grants[existing], actions: [...new Set([...grants[existing].actions, ...grant.actions])].sort() };
    return { grants: grants.map((g, i) => (i === existing ? widened : g)), grant: widened };
  }
  const taken = new Set([...reservedSids, ...grants.map((g) => g.sid)]);
  const base = grant.sid ?? `Grant${sidWord(arnShortName(grant.principalArn))}${viaSuffix(grant.conditions)}`;
  if (grant.sid !== undefined && taken.has(grant.sid)) {
    throw new Error(`Sid "${grant.sid}" is already used in this key policy; choose another`);
  }
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  const added: KeyGrant = { ...grant, sid, actions: [...new Set(grant.actions)].sort() };
  return { grants: [...grants, added], grant: added };
}

/** Sids in IAM policies are alphanumeric: turn `my-role.name` into `MyRoleName`. */
function sidWord(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function viaSuffix(conditions: readonly Condition[]): string {
  const via = conditions.find((c) => c.variable === 'kms:ViaService');
  return via ? `Via${sidWord(via.values[0].split('.')[0])}` : '';
}
