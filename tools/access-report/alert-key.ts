/**
 * The key made only for alerts (`aws_kms_key.alert_key`, one per region where a key lives): who may
 * do what on it. The primary region's alert key is evaluated with the same evaluator as the secrets
 * key, over a smaller matrix; the other regions' alert keys have the same statements (lint checks
 * it), so they are named, not evaluated. Its statements are also read as written: nobody but the
 * account root, the administrators and EventBridge may be named.
 */
import { type PolicyDocument, statementsOf } from '../../policy/render';
import { evaluateMatrix } from './evaluate';
import { namedPrincipals } from './rules/rule';
import type { Placeholders } from './placeholders';
import type { RenderedAlertKey } from './rendered-policies';
import { assessCells, assessKeyPolicies } from './risk';
import {
  ALERT_KEY_POLICY_RULES,
  ALERT_KEY_RISK_RULES,
  ALERT_PUBLISHER_SERVICE,
  type KeyPolicyRuleContext,
  type RuleContext,
} from './rules';
import type { AssessedCell, ContextId, PolicyFinding, PrincipalKind, PrincipalRow } from './types';

/**
 * The actions of the alert key's matrix: the two that publishing needs, two more uses, and the
 * management actions that change who may use the key or whether it can be used.
 */
export const ALERT_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:Encrypt',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
] as const;

/**
 * One context: a direct call. Nobody uses the alert key through Secrets Manager, and its policy as
 * built has no condition a context key could meet.
 */
export const ALERT_KEY_CONTEXTS: readonly ContextId[] = ['direct'];

/** The rows of the secrets key's matrix that the alert key's matrix keeps, in this order after the administrators and services. */
const KEPT_KINDS: readonly PrincipalKind[] = ['app-role', 'unnamed-role', 'unnamed-role-with-iam', 'other-account', 'anonymous'];

/** Every service principal a policy names. */
function servicesNamed(policy: PolicyDocument): string[] {
  return statementsOf(policy).flatMap((s) =>
    namedPrincipals(s)
      .filter((p) => p.type === 'Service')
      .map((p) => p.value),
  );
}

/**
 * The rows of the alert key's matrix, taken from the secrets key's rows: the administrators, then a
 * row per service principal (EventBridge, and any other service the policy names), the roles this
 * app creates, the unnamed role with and without `kms:*`, another account, and the anonymous caller.
 * Key users and grantees are left out: the alert key's policy does not name them, so the unnamed
 * role stands for them.
 */
export function alertKeyRows(rows: readonly PrincipalRow[], policy: PolicyDocument): PrincipalRow[] {
  const services = [...new Set([ALERT_PUBLISHER_SERVICE, ...servicesNamed(policy)])];
  return [
    ...rows.filter((row) => row.kind === 'administrator'),
    ...services.map((service): PrincipalRow => ({
      label: `service ${service}`,
      kind: 'service-principal',
      arn: service,
      accountId: undefined,
      identityPolicies: [],
    })),
    ...KEPT_KINDS.flatMap((kind) => rows.filter((row) => row.kind === kind)),
  ];
}

/** What the report says about the key made only for alerts. */
export interface AlertKeyReport {
  /** The evaluated key: the primary region's, e.g. `aws_kms_key.alert_key`. */
  readonly address: string;
  readonly region: string;
  /** Its placeholder ARN. */
  readonly keyArn: string;
  /** Where its policy comes from, e.g. `data.aws_iam_policy_document.alert_key_policy`. */
  readonly policySource: string;
  /** Its policy as rendered. */
  readonly policy: PolicyDocument;
  /** The other regions' alert keys, with the same statements (lint checks it); not evaluated. */
  readonly replicaAlertKeys: readonly { readonly address: string; readonly region: string }[];
  readonly rows: readonly { readonly label: string; readonly kind: PrincipalKind; readonly arn: string | undefined }[];
  /** One context (direct); empty when lint found problems. */
  readonly cells: readonly AssessedCell[];
  readonly riskyCells: number;
  readonly waivedCells: number;
  /** What the key-policy rules found in the statements of every alert key (every region's). */
  readonly policyFindings: readonly PolicyFinding[];
  /** No risky cell and no policy finding. */
  readonly ok: boolean;
}

/** What reporting the alert key needs. */
export interface AlertKeyInput {
  /** Every alert key, the primary region's first (`renderAlertKeys`). */
  readonly alertKeys: readonly RenderedAlertKey[];
  /** The rows of the secrets key's matrix. */
  readonly rows: readonly PrincipalRow[];
  readonly placeholders: Placeholders;
  readonly ruleContext: RuleContext;
  readonly policyRuleContext: KeyPolicyRuleContext;
  /** False when lint found problems: the statements are read, nothing is evaluated. */
  readonly evaluate: boolean;
}

/** The report of the primary region's alert key, or undefined when the stack has no alert key. */
export async function reportAlertKey(input: AlertKeyInput): Promise<AlertKeyReport | undefined> {
  const [key, ...replicas] = input.alertKeys;
  if (key === undefined) return undefined;
  const rows = alertKeyRows(input.rows, key.policy);
  const cells = input.evaluate
    ? assessCells(
        await evaluateMatrix({
          keyPolicy: key.policy,
          rows,
          placeholders: { ...input.placeholders, keyArn: key.arn },
          actions: ALERT_KEY_ACTIONS,
          contexts: ALERT_KEY_CONTEXTS,
        }),
        rows,
        input.ruleContext,
        ALERT_KEY_RISK_RULES,
      )
    : [];
  const policyFindings = assessKeyPolicies(
    input.alertKeys.map((k) => ({ where: `${k.address} (${k.policySource})`, policy: k.policy })),
    ALERT_KEY_POLICY_RULES,
    input.policyRuleContext,
  );
  const riskyCells = cells.filter((c) => c.risky).length;
  return {
    address: key.address,
    region: key.region,
    keyArn: key.arn,
    policySource: key.policySource,
    policy: key.policy,
    replicaAlertKeys: replicas.map(({ address, region }) => ({ address, region })),
    rows: rows.map(({ label, kind, arn }) => ({ label, kind, arn })),
    cells,
    riskyCells,
    waivedCells: cells.filter((c) => c.waived).length,
    policyFindings,
    ok: riskyCells === 0 && policyFindings.length === 0,
  };
}
