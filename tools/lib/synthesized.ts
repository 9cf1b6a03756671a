/**
 * Reads what `npm run synth` wrote (`cdktf.out/stacks/<env>/cdk.tf.json`) and renders its
 * `aws_iam_policy_document` blocks to AWS policy JSON, the way Terraform will: tools that check
 * policies (access report, verify) start from the synthesized output, not from the in-memory model,
 * so that a bug between the model and the constructs shows up.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { typed } from '../../config/errors';
import { buildApp } from '../../app/build-app';
import { UsageError } from '../../app/cli';
import { STACK_FILE } from '../../app/output-format';
import { outputLayout, projectRootOrCwd } from '../../app/project';
import type { AppConfig } from '../../config/schema';
import { type AwsStatement, type PolicyDocument, POLICY_VERSION } from '../../policy/render';
import { jsonObject, readJsonFile } from './external-json';

/** The parts of a synthesized stack these tools read. */
export interface SynthesizedStack {
  readonly data?: { readonly aws_iam_policy_document?: Record<string, PolicyDocumentBlock> } & Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  /** Output values by name: a string, often a Terraform expression, or a list or map. */
  readonly output?: Record<string, { readonly value: unknown }>;
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, unknown>;
}

/** An `aws_iam_policy_document` block as cdktf writes it (snake_case). */
export interface PolicyDocumentBlock {
  readonly statement?: readonly {
    readonly sid?: string;
    readonly effect?: 'Allow' | 'Deny';
    readonly actions?: readonly string[];
    readonly resources?: readonly string[];
    readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
    readonly condition?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
  }[];
  readonly version?: string;
  readonly policy_id?: string;
}

const statementSchema = z.looseObject({
  sid: z.string().optional(),
  effect: z.enum(['Allow', 'Deny']).optional(),
  actions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  principals: z.array(z.looseObject({ type: z.string(), identifiers: z.array(z.string()) })).optional(),
  condition: z.array(z.looseObject({ test: z.string(), variable: z.string(), values: z.array(z.string()) })).optional(),
});

const policyDocumentBlockSchema = z.looseObject({
  statement: z.array(statementSchema).optional(),
  version: z.string().optional(),
  policy_id: z.string().optional(),
});

/**
 * The schema of `SynthesizedStack`: the policy document blocks in full (they are rendered field by
 * field), resources as objects by type and name; attributes and other blocks are kept as they are.
 */
export const synthesizedStackSchema = typed<SynthesizedStack, unknown>()(
  z.looseObject({
    data: z.looseObject({ aws_iam_policy_document: z.record(z.string(), policyDocumentBlockSchema).optional() }).optional(),
    resource: z.record(z.string(), z.record(z.string(), jsonObject)).optional(),
    output: z.record(z.string(), z.looseObject({ value: z.unknown() })).optional(),
    terraform: jsonObject.optional(),
    provider: jsonObject.optional(),
  }),
);

/** The path of an environment's synthesized stack. */
export function stackFile(outdir: string, environment: string): string {
  return join(outdir, 'stacks', environment, STACK_FILE.json);
}

/**
 * Reads a synthesized stack and checks it with `synthesizedStackSchema`. When it is missing, the
 * UsageError says what to do: synthesize, or synthesize JSON when the folder holds only the HCL
 * `cdk.tf`, which these tools cannot read. A stack that is not what synth writes is an
 * ExternalJsonError naming the file and the bad field.
 */
export function readSynthesizedStack(outdir: string, environment: string): SynthesizedStack {
  const file = stackFile(outdir, environment);
  if (!existsSync(file)) {
    const hcl = join(outdir, 'stacks', environment, STACK_FILE.hcl);
    if (existsSync(hcl)) {
      throw new UsageError(
        `${file} does not exist: the folder holds ${STACK_FILE.hcl} (HCL, from \`npm run synth -- --hcl\`) and this command reads JSON; ` +
          'run `npm run synth` without --hcl, or drop --outdir to synthesize afresh',
      );
    }
    throw new UsageError(`${file} does not exist; run \`npm run synth\` first`);
  }
  return readJsonFile(synthesizedStackSchema, file);
}

/** The synthesized stack of each environment, by name. */
export type SynthesizedStacks = ReadonlyMap<string, SynthesizedStack>;

/** Reads the stacks of the named environments from an existing output folder (`cdktf.out`). */
export function readStacks(outdir: string, environments: readonly string[]): SynthesizedStacks {
  return new Map(environments.map((name) => [name, readSynthesizedStack(outdir, name)]));
}

/**
 * Synthesizes `config` into a fresh temporary folder (offline, well under a second), reads every
 * stack and removes the folder: tools that check what the app deploys never read a stale `cdktf.out`.
 */
export function synthesizeStacks(config: AppConfig): SynthesizedStacks {
  const dir = mkdtempSync(join(tmpdir(), 'kms-synth-'));
  try {
    buildApp(config, { layout: outputLayout(projectRootOrCwd(), dir) }).app.synth();
    return readStacks(
      dir,
      config.environments.map((e) => e.name),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `statement` fields of `aws_iam_policy_document` that `renderPolicyDocumentBlock` renders (`//` is cdktf's metadata). */
const RENDERED_STATEMENT_FIELDS = new Set(['sid', 'effect', 'actions', 'resources', 'principals', 'condition', '//']);

/** Terraform references (`${...}`) and what to put in their place when rendering. */
export type Substitutions = Readonly<Record<string, string>>;

/** Every `${...}` reference in a value, e.g. `data.aws_caller_identity.current.account_id`. */
export function references(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
}

function substitute(value: string, substitutions: Substitutions): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, ref: string) => substitutions[ref] ?? whole);
}

/**
 * Renders one `aws_iam_policy_document` block to AWS policy JSON (lists kept as lists), replacing
 * the references named in `substitutions`. Throws when a reference is left unresolved, so a
 * rendering never silently contains Terraform syntax.
 */
export function renderPolicyDocumentBlock(block: PolicyDocumentBlock, substitutions: Substitutions = {}): PolicyDocument {
  const sub = (values: readonly string[]) => values.map((v) => substitute(v, substitutions));
  const document: PolicyDocument = {
    Version: block.version ?? POLICY_VERSION,
    Statement: (block.statement ?? []).map((s) => {
      // A block field this renderer does not know (not_principals, not_actions, ...) would be dropped
      // silently and change the policy's meaning: refuse it instead.
      const unknown = Object.keys(s).filter((field) => !RENDERED_STATEMENT_FIELDS.has(field));
      if (unknown.length > 0)
        throw new Error(`policy statement ${s.sid ?? '(no sid)'} has ${unknown.join(', ')}, which the tools cannot render`);
      const out: AwsStatement = { Effect: s.effect ?? 'Allow', Action: sub(s.actions ?? []) };
      if (s.sid !== undefined) out.Sid = s.sid;
      if (s.resources !== undefined) out.Resource = sub(s.resources);
      if (s.principals && s.principals.length > 0) {
        const principal: Record<string, string[]> = {};
        for (const p of s.principals) principal[p.type] = [...(principal[p.type] ?? []), ...sub(p.identifiers)];
        out.Principal = principal;
      }
      if (s.condition && s.condition.length > 0) {
        const condition: Record<string, Record<string, string[]>> = {};
        for (const c of s.condition) condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: sub(c.values) };
        out.Condition = condition;
      }
      return out;
    }),
  };
  if (block.policy_id) document.Id = block.policy_id;
  const left = references(document);
  if (left.length > 0) {
    throw new Error(`unresolved Terraform references in the policy: ${[...new Set(left)].join(', ')}`);
  }
  return document;
}

/** The `aws_iam_policy_document` block named `name` (e.g. `key_policy`), or an error naming the ones present. */
export function policyDocumentBlock(stack: SynthesizedStack, name: string): PolicyDocumentBlock {
  const blocks = stack.data?.aws_iam_policy_document ?? {};
  const block = blocks[name];
  if (!block) {
    throw new Error(`no data.aws_iam_policy_document.${name} in the stack; found: ${Object.keys(blocks).join(', ') || 'none'}`);
  }
  return block;
}

/** The data source a resource attribute reads its policy from: `${data.aws_iam_policy_document.X.json}` gives X. */
export function policyDocumentNameOf(reference: unknown): string | undefined {
  const match = typeof reference === 'string' ? /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/.exec(reference) : null;
  return match?.[1];
}

/**
 * The names of the `aws_kms_key`s made only for alerts: those an `aws_sns_topic` of the stack is
 * encrypted with (`kms_master_key_id` refers to the key). Told apart by what they encrypt, not by
 * their names, so the report does not depend on the constructs' addresses.
 */
export function alertKeyNames(stack: SynthesizedStack): Set<string> {
  const names = new Set<string>();
  for (const topic of Object.values(stack.resource?.aws_sns_topic ?? {})) {
    const match =
      typeof topic.kms_master_key_id === 'string' ? /^\$\{aws_kms_key\.([^.}]+)\.(arn|id|key_id)\}$/.exec(topic.kms_master_key_id) : null;
    if (match && Object.hasOwn(stack.resource?.aws_kms_key ?? {}, match[1])) names.add(match[1]);
  }
  return names;
}

/** The name of the secrets key: the one `aws_kms_key` that is not made only for alerts. */
export function secretsKeyName(stack: SynthesizedStack): string {
  const alerts = alertKeyNames(stack);
  const keys = Object.keys(stack.resource?.aws_kms_key ?? {}).filter((name) => !alerts.has(name));
  if (keys.length !== 1) {
    const besides =
      alerts.size > 0 ? ` besides the keys made only for alerts (${[...alerts].map((n) => `aws_kms_key.${n}`).join(', ')})` : '';
    throw new Error(
      `expected exactly one aws_kms_key in the stack${besides}, found ${keys.length}${keys.length ? `: ${keys.join(', ')}` : ''}`,
    );
  }
  return keys[0];
}
