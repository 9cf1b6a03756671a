/**
 * The policies this app hands to AWS, rendered from the synthesized `cdk.tf.json` (not from the
 * in-memory model): the key policy behind `aws_kms_key.<name>.policy`, and for each `aws_iam_role`
 * the inline policies (`aws_iam_role_policy`) and managed policy attachments that name it; and the
 * key's KMS grants (`kms-grants.ts`). Terraform references are replaced with the placeholders of
 * `placeholders.ts`. Replica keys (`aws_kms_replica_key`) are not evaluated, but the roles'
 * policies name their ARNs, so those get stand-ins too.
 */
import type { PolicyDocument } from '../../policy/render';
import {
  policyDocumentBlock,
  policyDocumentNameOf,
  references,
  renderPolicyDocumentBlock,
  type Substitutions,
  type SynthesizedStack,
} from '../lib/synthesized';
import { renderKmsGrants } from './kms-grants';
import { PLACEHOLDER_KEY_ID, type Placeholders } from './placeholders';
import type { KmsGrant, NamedPolicy } from './types';

/** The key as synthesized. */
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

/** Everything the report evaluates in one environment. */
export interface RenderedEnvironment {
  readonly key: RenderedKey;
  readonly roles: readonly RenderedRole[];
  /** Every `aws_kms_grant` of the stack, in the stack's order. */
  readonly kmsGrants: readonly KmsGrant[];
}

type Resources = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

function resourcesOfType(stack: SynthesizedStack, type: string): Resources {
  return (stack.resource?.[type] ?? {}) as Resources;
}

/**
 * The region of an `aws_kms_replica_key`: that of the aliased `aws` provider it names
 * (`provider: "aws.us_west_2"`); undefined when the stack does not say.
 */
function replicaRegion(stack: SynthesizedStack, replica: Readonly<Record<string, unknown>>): string | undefined {
  const alias = typeof replica.provider === 'string' ? /^aws\.(.+)$/.exec(replica.provider)?.[1] : undefined;
  if (alias === undefined) return undefined;
  const blocks = stack.provider?.aws;
  const block = (Array.isArray(blocks) ? (blocks as Readonly<Record<string, unknown>>[]) : []).find((b) => b.alias === alias);
  return typeof block?.region === 'string' && !block.region.includes('${') ? block.region : undefined;
}

/** The substitutions for every reference the policy documents use that the report knows how to stand in for. */
export function placeholderSubstitutions(stack: SynthesizedStack, placeholders: Placeholders): Substitutions {
  const substitutions: Record<string, string> = {};
  const keys = Object.keys(resourcesOfType(stack, 'aws_kms_key'));
  const replicas = resourcesOfType(stack, 'aws_kms_replica_key');
  for (const ref of references(stack.data?.aws_iam_policy_document ?? {})) {
    if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(ref)) substitutions[ref] = placeholders.accountId;
    if (/^data\.aws_partition\.[^.]+\.partition$/.test(ref)) substitutions[ref] = placeholders.partition;
    if (/^data\.aws_region\.[^.]+\.(name|region)$/.test(ref)) substitutions[ref] = placeholders.region;
    const keyArn = /^aws_kms_key\.([^.]+)\.arn$/.exec(ref);
    if (keyArn && keys.length === 1 && keys[0] === keyArn[1]) substitutions[ref] = placeholders.keyArn;
    // A replica shares the primary's key id; its ARN differs in the region only. The roles' policies
    // name it in statements the report does not evaluate (their resource is not the primary key).
    const replicaArn = /^aws_kms_replica_key\.([^.]+)\.arn$/.exec(ref);
    const region = replicaArn && Object.hasOwn(replicas, replicaArn[1]) ? replicaRegion(stack, replicas[replicaArn[1]]) : undefined;
    if (region !== undefined) substitutions[ref] = `arn:${placeholders.partition}:kms:${region}:${placeholders.accountId}:key/${PLACEHOLDER_KEY_ID}`;
  }
  return substitutions;
}

/** Renders a policy attribute: a `${data.aws_iam_policy_document.X.json}` reference or a literal JSON string. */
function renderPolicyAttribute(stack: SynthesizedStack, value: unknown, where: string, substitutions: Substitutions): { source: string; policy: PolicyDocument } {
  const name = policyDocumentNameOf(value);
  if (name !== undefined) {
    try {
      return { source: `data.aws_iam_policy_document.${name}`, policy: renderPolicyDocumentBlock(policyDocumentBlock(stack, name), substitutions) };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  }
  if (typeof value === 'string' && !value.includes('${')) {
    try {
      return { source: 'literal JSON', policy: JSON.parse(value) as PolicyDocument };
    } catch {
      throw new Error(`${where}: the policy is neither an aws_iam_policy_document reference nor valid JSON`);
    }
  }
  throw new Error(`${where}: the policy ${JSON.stringify(value)} is not an aws_iam_policy_document reference the report can render`);
}

/** The single `aws_kms_key` of the stack with its rendered policy. */
export function renderKey(stack: SynthesizedStack, substitutions: Substitutions): RenderedKey {
  const keys = Object.entries(resourcesOfType(stack, 'aws_kms_key'));
  if (keys.length !== 1) {
    throw new Error(`expected exactly one aws_kms_key in the stack, found ${keys.length}${keys.length ? `: ${keys.map(([n]) => n).join(', ')}` : ''}`);
  }
  const [name, key] = keys[0];
  const address = `aws_kms_key.${name}`;
  const { source, policy } = renderPolicyAttribute(stack, key.policy, `${address}.policy`, substitutions);
  return { address, policySource: source, policy, bypassPolicyLockoutSafetyCheck: key.bypass_policy_lockout_safety_check };
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
      throw new Error(`${address}: the report needs a literal role name and path to build the role's ARN; got name ${JSON.stringify(name)}`);
    }
    if (role.inline_policy !== undefined || role.managed_policy_arns !== undefined) {
      throw new Error(`${address}: inline_policy and managed_policy_arns are not read by the report; use aws_iam_role_policy and aws_iam_role_policy_attachment`);
    }
    return {
      address,
      name,
      arn: `arn:${placeholders.partition}:iam::${placeholders.accountId}:role${path}${name}`,
      inlinePolicies: inline
        .filter(([, p]) => refersToRole(p.role, tfName, name))
        .map(([policyName, p]) => {
          const where = `aws_iam_role_policy.${policyName}`;
          return { name: `${where} (${String(p.name ?? policyName)})`, document: renderPolicyAttribute(stack, p.policy, `${where}.policy`, substitutions).policy };
        }),
      managedPolicyArns: attachments.filter(([, a]) => refersToRole(a.role, tfName, name)).map(([, a]) => String(a.policy_arn)),
    };
  });
}

/** The key policy, every created role's identity policies and every KMS grant of one synthesized stack. */
export function renderEnvironment(stack: SynthesizedStack, placeholders: Placeholders): RenderedEnvironment {
  const substitutions = placeholderSubstitutions(stack, placeholders);
  const roles = renderRoles(stack, placeholders, substitutions);
  return { key: renderKey(stack, substitutions), roles, kmsGrants: renderKmsGrants(stack, placeholders, roles) };
}
