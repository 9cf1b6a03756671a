/**
 * Extra key-policy statements (`key.additionalStatements`, `CustomerManagedKey.addToResourcePolicy`),
 * like the AWS CDK's `addToResourcePolicy` and terraform-aws-kms's `key_statements`, held to the
 * same rules as everything else in the key policy. `Resource` is always `*` (in a key policy it
 * means "this key") and is not given.
 */
import { accountRootArn, parseIamPrincipalArn } from './arn';
import type { Condition, Effect, Principal } from './statement';

/** An extra statement, in the model's own shape (`policy/statement.ts`) without `resources`. */
export interface ExtraStatement {
  /** Letters and digits, unique in the key policy. */
  readonly sid: string;
  readonly effect: Effect;
  /** `AWS` principals only: IAM ARNs (account root, user, role) or `*` with an account or organization condition. */
  readonly principals: readonly Principal[];
  /** KMS actions (`kms:...`). */
  readonly actions: readonly string[];
  readonly conditions?: readonly Condition[];
}

/** What the rules need to know about the key. */
export interface ExtraStatementContext {
  readonly partition: string;
  /** The key's account, when known (a literal); `kms:*` needs it. */
  readonly accountId: string | undefined;
  readonly administrators: readonly string[];
  /** Sids already in the key policy (built-in statements and grants). */
  readonly takenSids: readonly string[];
}

/** A problem with one statement; `path` starts at the statement (`['actions']`). */
export interface ExtraStatementProblem {
  readonly index: number;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Condition keys that pin `*` to an account or an organization. */
const PINNING_KEYS = ['kms:calleraccount', 'aws:principalaccount', 'aws:principalorgid'];

/** Whether an action pattern (`kms:Put*`, `kms:*`, `*`) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(action);
}

/** Whether the statement pins `*` with StringEquals on an account or organization key, literal values only. */
function pinsWildcard(statement: ExtraStatement): boolean {
  return (statement.conditions ?? []).some(
    (c) =>
      c.test === 'StringEquals' &&
      PINNING_KEYS.includes(c.variable.toLowerCase()) &&
      c.values.length > 0 &&
      c.values.every((v) => v !== '' && !/[*?$]/.test(v)),
  );
}

/** Every problem with the extra statements, in order. */
export function extraStatementProblems(statements: readonly ExtraStatement[], context: ExtraStatementContext): ExtraStatementProblem[] {
  const problems: ExtraStatementProblem[] = [];
  const taken = new Set(context.takenSids);
  const root = context.accountId === undefined ? undefined : accountRootArn(context.partition, context.accountId);
  const administrators = new Set(context.administrators);
  statements.forEach((statement, index) => {
    const add = (path: (string | number)[], message: string) => problems.push({ index, path, message });
    if (!/^[A-Za-z0-9]{1,128}$/.test(statement.sid)) add(['sid'], `"${statement.sid}" must be 1-128 letters and digits`);
    else if (taken.has(statement.sid)) add(['sid'], `"${statement.sid}" is already a Sid of the key policy; Sids are unique`);
    taken.add(statement.sid);

    // Service principals are refused below; only AWS principals are checked further.
    const identifiers = statement.principals.filter((p) => p.type === 'AWS').flatMap((p) => p.identifiers);
    statement.principals.forEach((principal, p) => {
      if (principal.type !== 'AWS') {
        add(
          ['principals', p, 'type'],
          `"${principal.type}" principals are refused: the key policy names no service (Secrets Manager and others use the key with their callers' permissions)`,
        );
      }
    });
    if (statement.principals.length === 0) add(['principals'], 'names no principal');
    for (const id of identifiers) {
      if (id !== '*' && parseIamPrincipalArn(id) === undefined) add(['principals'], `"${id}" is neither an IAM principal ARN nor "*"`);
      else if (id !== '*' && parseIamPrincipalArn(id)?.partition !== context.partition)
        add(['principals'], `"${id}" is not in the key's partition ${context.partition}`);
    }
    if (identifiers.includes('*') && statement.effect === 'Allow' && !pinsWildcard(statement)) {
      add(
        ['principals'],
        '"*" is allowed only with a StringEquals condition on kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalOrgID with literal values',
      );
    }

    if (statement.actions.length === 0) add(['actions'], 'is empty');
    statement.actions.forEach((action, a) => {
      if (!/^kms:[A-Za-z*?]+$/.test(action)) add(['actions', a], `"${action}" is not a KMS action (kms:...)`);
    });
    const grantsEverything = statement.actions.some((a) => a === 'kms:*' || a === '*');
    if (
      statement.effect === 'Allow' &&
      grantsEverything &&
      !(root !== undefined && identifiers.length > 0 && identifiers.every((id) => id === root))
    ) {
      add(
        ['actions'],
        root === undefined
          ? 'gives kms:*, which only the account root may have; with no accountId, list the actions'
          : `gives kms:*, which only the account root ${root} may have; list the actions`,
      );
    }
    if (statement.effect === 'Deny' && statement.actions.some((a) => covers(a, 'kms:PutKeyPolicy'))) {
      const locked = identifiers.filter(
        (id) => id === '*' || id === root || parseIamPrincipalArn(id)?.resource === 'root' || administrators.has(id),
      );
      if (locked.length > 0) {
        add(
          ['effect'],
          `denies kms:PutKeyPolicy to ${locked.join(', ')}: KMS's lockout safety check would refuse the policy at apply, and nobody could change it afterwards`,
        );
      }
    }
  });
  return problems;
}
