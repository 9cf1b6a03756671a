/**
 * The policies this app hands to AWS, rendered from the synthesized `cdk.tf.json` (not from the
 * in-memory model): the secrets key's policy behind `aws_kms_key.<name>.policy`, its replicas'
 * policies, the policies of the keys made only for alerts, and for each `aws_iam_role` the inline
 * policies (`aws_iam_role_policy`) and managed policy attachments that name it; and the key's KMS
 * grants (`kms-grants.ts`). Terraform references are replaced with the placeholders of
 * `placeholders.ts`. Replica keys are not evaluated, but the roles' policies name their ARNs, so
 * those get stand-ins too.
 */
import type { PolicyDocument } from '../../policy/render';
import {
  alertKeyNames,
  policyDocumentBlock,
  policyDocumentNameOf,
  references,
  renderPolicyDocumentBlock,
  secretsKeyName,
  type Substitutions,
  type SynthesizedStack,
} from '../lib/synthesized';
import { ExternalJsonError, parsePolicyJson } from '../lib/external-json';
import { renderKmsGrants } from './kms-grants';
import { alertKeyArn, PLACEHOLDER_KEY_ID, type Placeholders } from './placeholders';
import type { KmsGrant, NamedPolicy } from './types';

/** A key as synthesized: the secrets key, or a key made only for alerts. */
export interface RenderedKey {
  /** Terraform address, e.g. `aws_kms_key.key`. */
  readonly address: string;
  /** Where its policy comes from, e.g. `data.aws_iam_policy_document.key_policy`. */
  readonly policySource: string;
  readonly policy: PolicyDocument;
  /** `bypass_policy_lockout_safety_check` as synthesized; undefined when not set (the provider's default is false). */
  readonly bypassPolicyLockoutSafetyCheck: unknown;
}

/** One IAM role this app creates, with its identity policies. */
export interface RenderedRole {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  /** Inline policies, named `<aws_iam_role_policy address> (<policy name>)`. */
  readonly inlinePolicies: readonly NamedPolicy[];
  /** ARNs of attached managed policies. */
  readonly managedPolicyArns: readonly string[];
}

/** A replica of the secrets key (`aws_kms_replica_key`): its policy is read by the key-policy rules, not evaluated. */
export interface RenderedReplicaKey {
  readonly address: string;
  readonly policySource: string;
  readonly policy: PolicyDocument;
}

/** A key made only for alerts: an `aws_kms_key` that encrypts an `aws_sns_topic` of the stack. */
export interface RenderedAlertKey extends RenderedKey {
  /** The region of its provider (the primary's when it names none). */
  readonly region: string;
  /** Its placeholder ARN (`alertKeyArn`). */
  readonly arn: string;
}

/** Everything the report evaluates in one environment. */
export interface RenderedEnvironment {
  /** The secrets key. */
  readonly key: RenderedKey;
  readonly roles: readonly RenderedRole[];
  /** Every `aws_kms_grant` of the stack, in the stack's order. */
  readonly kmsGrants: readonly KmsGrant[];
  /** The secrets key's replicas, in the stack's order. */
  readonly replicaKeys: readonly RenderedReplicaKey[];
  /** The keys made only for alerts, the primary region's first; empty when the stack has none. */
  readonly alertKeys: readonly RenderedAlertKey[];
}

type Resources = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function resourcesOfType(stack: SynthesizedStack, type: string): Resources {
  return stack.resource?.[type] ?? {};
}

/**
 * The region of a resource: that of the aliased `aws` provider it names (`provider:
 * "aws.us_west_2"`); `primary` when it names none (the stack's default provider); undefined when the
 * stack does not say.
 */
function resourceRegion(
  stack: SynthesizedStack,
  resource: Readonly<Record<string, unknown>>,
  primary: string | undefined,
): string | undefined {
  if (resource.provider === undefined) return primary;
  const alias = typeof resource.provider === 'string' ? /^aws\.(.+)$/.exec(resource.provider)?.[1] : undefined;
  if (alias === undefined) return undefined;
  const blocks = stack.provider?.aws;
  const block = (Array.isArray(blocks) ? (blocks as Readonly<Record<string, unknown>>[]) : []).find((b) => b.alias === alias);
  return typeof block?.region === 'string' && !block.region.includes('${') ? block.region : undefined;
}

/** The substitutions for every reference the policy documents use that the report knows how to stand in for. */
export function placeholderSubstitutions(stack: SynthesizedStack, placeholders: Placeholders): Substitutions {
  const substitutions: Record<string, string> = {};
  const keys = resourcesOfType(stack, 'aws_kms_key');
  const alerts = alertKeyNames(stack);
  const replicas = resourcesOfType(stack, 'aws_kms_replica_key');
  for (const ref of references(stack.data?.aws_iam_policy_document ?? {})) {
    if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(ref)) substitutions[ref] = placeholders.accountId;
    if (/^data\.aws_partition\.[^.]+\.partition$/.test(ref)) substitutions[ref] = placeholders.partition;
    if (/^data\.aws_region\.[^.]+\.(name|region)$/.test(ref)) substitutions[ref] = placeholders.region;
    const keyArn = /^aws_kms_key\.([^.]+)\.arn$/.exec(ref);
    const key = keyArn && Object.hasOwn(keys, keyArn[1]) ? keyArn[1] : undefined;
    if (key !== undefined && alerts.has(key)) {
      const region = resourceRegion(stack, keys[key], placeholders.region);
      if (region !== undefined) substitutions[ref] = alertKeyArn(placeholders, region);
    } else if (key !== undefined && Object.keys(keys).length - alerts.size === 1) {
      // The one key left is the secrets key; with more, renderKey refuses the stack, naming them.
      substitutions[ref] = placeholders.keyArn;
    }
    // A replica shares the primary's key id; its ARN differs in the region only. The roles' policies
    // name it in statements the report does not evaluate (their resource is not the primary key).
    const replicaArn = /^aws_kms_replica_key\.([^.]+)\.arn$/.exec(ref);
    const region =
      replicaArn && Object.hasOwn(replicas, replicaArn[1]) ? resourceRegion(stack, replicas[replicaArn[1]], undefined) : undefined;
    if (region !== undefined)
      substitutions[ref] = `arn:${placeholders.partition}:kms:${region}:${placeholders.accountId}:key/${PLACEHOLDER_KEY_ID}`;
  }
  return substitutions;
}

/** Renders a policy attribute: a `${data.aws_iam_policy_document.X.json}` reference or a literal JSON string. */
function renderPolicyAttribute(
  stack: SynthesizedStack,
  value: unknown,
  where: string,
  substitutions: Substitutions,
): { source: string; policy: PolicyDocument } {
  const name = policyDocumentNameOf(value);
  if (name !== undefined) {
    try {
      return {
        source: `data.aws_iam_policy_document.${name}`,
        policy: renderPolicyDocumentBlock(policyDocumentBlock(stack, name), substitutions),
      };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (typeof value === 'string' && !value.includes('${')) {
    try {
      return { source: 'literal JSON', policy: parsePolicyJson(value, `${where} (literal policy JSON)`) };
    } catch (error) {
      if (!(error instanceof ExternalJsonError)) throw error;
      throw new Error(`${error.oneLine}; expected an aws_iam_policy_document reference or a policy document`, { cause: error });
    }
  }
  throw new Error(`${where}: the policy ${JSON.stringify(value)} is not an aws_iam_policy_document reference the report can render`);
}

/** The `aws_kms_key` named `name` with its rendered policy. */
function renderKeyResource(stack: SynthesizedStack, name: string, substitutions: Substitutions): RenderedKey {
  const key = resourcesOfType(stack, 'aws_kms_key')[name];
  const address = `aws_kms_key.${name}`;
  const { source, policy } = renderPolicyAttribute(stack, key.policy, `${address}.policy`, substitutions);
  return { address, policySource: source, policy, bypassPolicyLockoutSafetyCheck: key.bypass_policy_lockout_safety_check };
}

/** The secrets key (the one `aws_kms_key` that encrypts no SNS topic) with its rendered policy. */
export function renderKey(stack: SynthesizedStack, substitutions: Substitutions): RenderedKey {
  return renderKeyResource(stack, secretsKeyName(stack), substitutions);
}

/** Every replica of the secrets key with its rendered policy. */
export function renderReplicaKeys(stack: SynthesizedStack, substitutions: Substitutions): RenderedReplicaKey[] {
  return Object.entries(resourcesOfType(stack, 'aws_kms_replica_key')).map(([name, replica]) => {
    const address = `aws_kms_replica_key.${name}`;
    const { source, policy } = renderPolicyAttribute(stack, replica.policy, `${address}.policy`, substitutions);
    return { address, policySource: source, policy };
  });
}

/** Every key made only for alerts with its rendered policy and region, the primary region's first. */
export function renderAlertKeys(stack: SynthesizedStack, placeholders: Placeholders, substitutions: Substitutions): RenderedAlertKey[] {
  const keys = [...alertKeyNames(stack)].map((name): RenderedAlertKey => {
    const key = resourcesOfType(stack, 'aws_kms_key')[name];
    const region = resourceRegion(stack, key, placeholders.region);
    if (region === undefined) {
      throw new Error(
        `aws_kms_key.${name}: the report needs the region of its provider to build the key's ARN; got provider ${JSON.stringify(key.provider)}`,
      );
    }
    return { ...renderKeyResource(stack, name, substitutions), region, arn: alertKeyArn(placeholders, region) };
  });
  // Stable: the primary region's first, then the stack's order (the report evaluates the first).
  return [...keys.filter((k) => k.region === placeholders.region), ...keys.filter((k) => k.region !== placeholders.region)];
}

/** True when `value` (a role attribute of a policy resource) names the role `name` with Terraform name `tfName`. */
function refersToRole(value: unknown, tfName: string, name: string): boolean {
  return value === name || value === `\${aws_iam_role.${tfName}.name}` || value === `\${aws_iam_role.${tfName}.id}`;
}

/** Every `aws_iam_role` of the stack with its identity policies. */
export function renderRoles(stack: SynthesizedStack, placeholders: Placeholders, substitutions: Substitutions): RenderedRole[] {
  const inline = Object.entries(resourcesOfType(stack, 'aws_iam_role_policy'));
  const attachments = Object.entries(resourcesOfType(stack, 'aws_iam_role_policy_attachment'));
  return Object.entries(resourcesOfType(stack, 'aws_iam_role')).map(([tfName, role]) => {
    const address = `aws_iam_role.${tfName}`;
    const name = role.name;
    const path = role.path ?? '/';
    if (typeof name !== 'string' || name.includes('${') || typeof path !== 'string') {
      throw new Error(
        `${address}: the report needs a literal role name and path to build the role's ARN; got name ${JSON.stringify(name)}`,
      );
    }
    if (role.inline_policy !== undefined || role.managed_policy_arns !== undefined) {
      throw new Error(
        `${address}: inline_policy and managed_policy_arns are not read by the report; use aws_iam_role_policy and aws_iam_role_policy_attachment`,
      );
    }
    return {
      address,
      name,
      arn: `arn:${placeholders.partition}:iam::${placeholders.accountId}:role${path}${name}`,
      inlinePolicies: inline
        .filter(([, p]) => refersToRole(p.role, tfName, name))
        .map(([policyName, p]) => {
          const where = `aws_iam_role_policy.${policyName}`;
          // The policy's name as written (a string in any stack Terraform accepts), else its Terraform name.
          const label = p.name ?? policyName;
          return {
            name: `${where} (${typeof label === 'string' ? label : JSON.stringify(label)})`,
            document: renderPolicyAttribute(stack, p.policy, `${where}.policy`, substitutions).policy,
          };
        }),
      managedPolicyArns: attachments.filter(([, a]) => refersToRole(a.role, tfName, name)).map(([, a]) => String(a.policy_arn)),
    };
  });
}

/**
 * The secrets key's policy and its replicas', the alert keys' policies, every created role's
 * identity policies and every KMS grant of one synthesized stack.
 */
export function renderEnvironment(stack: SynthesizedStack, placeholders: Placeholders): RenderedEnvironment {
  const substitutions = placeholderSubstitutions(stack, placeholders);
  const roles = renderRoles(stack, placeholders, substitutions);
  return {
    key: renderKey(stack, substitutions),
    roles,
    kmsGrants: renderKmsGrants(stack, placeholders, roles),
    replicaKeys: renderReplicaKeys(stack, substitutions),
    alertKeys: renderAlertKeys(stack, placeholders, substitutions),
  };
}
