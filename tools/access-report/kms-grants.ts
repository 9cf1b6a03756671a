/**
 * The KMS grants of a synthesized stack (`aws_kms_grant`), read from `cdk.tf.json` rather than from
 * the config, so that a bug between the config and the constructs shows up. Strings are read as
 * Terraform reads them: `$${` and `%%{` are a literal `${` and `%{`; a reference to a role this
 * stack creates, the account, the partition or the region gets its placeholder; a map holding a
 * `__proto__` key arrives as a `${tomap({...})}` expression (see `constructs/terraform-values.ts`).
 * Anything else the report cannot read is an error naming the attribute, never a guess.
 */
import { z } from 'zod';
import { ExternalJsonError, parseExternalJson } from '../../config/errors';
import type { SynthesizedStack } from '../lib/synthesized';
import type { Placeholders } from './placeholders';
import type { RenderedRole } from './rendered-policies';
import type { KmsGrant, KmsGrantConstraint } from './types';

/** The constraint attributes of `aws_kms_grant.constraints` and the names the report gives them. */
const CONSTRAINT_FIELDS = {
  encryption_context_equals: 'encryptionContextEquals',
  encryption_context_subset: 'encryptionContextSubset',
} as const;

/** What a reference in a grant stands for, or undefined when the report has no stand-in for it. */
function standIn(ref: string, placeholders: Placeholders, roles: readonly RenderedRole[]): string | undefined {
  if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(ref)) return placeholders.accountId;
  if (/^data\.aws_partition\.[^.]+\.partition$/.test(ref)) return placeholders.partition;
  if (/^data\.aws_region\.[^.]+\.(name|region)$/.test(ref)) return placeholders.region;
  const role = /^(aws_iam_role\.[^.]+)\.arn$/.exec(ref);
  return role ? roles.find((r) => r.address === role[1])?.arn : undefined;
}

/** Resolves one Terraform template string; `resolve` answers each `${...}` reference. */
function readTemplate(text: string, where: string, resolve: (ref: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += `${text[i]}{`;
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i);
      const ref = text.slice(i + 2, end < 0 ? text.length : end);
      const value = end < 0 ? undefined : resolve(ref);
      if (value === undefined) {
        throw new Error(
          `${where}: \${${ref}} is a Terraform expression the report cannot stand in for; expected a literal, or a reference to a role this stack creates, the account, the partition or the region`,
        );
      }
      out += value;
      i = end + 1;
    } else if (text.startsWith('%{', i)) {
      throw new Error(
        `${where}: ${JSON.stringify(text)} holds a template directive (%{...}), which the report does not evaluate; expected a literal`,
      );
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/** The `"key" = "value"` pairs of `${tomap({...})}`, as `terraformStringMap` writes them: HCL strings in JSON quoting. */
const TOMAP = /^\$\{tomap\(\{(.*)\}\)\}$/s;
const HCL_PAIR = /\s*("(?:[^"\\]|\\.)*")\s*=\s*("(?:[^"\\]|\\.)*")\s*(?:,|$)/y;

/**
 * The text of one quoted string of a `${tomap({...})}` expression. `terraformStringMap` writes them
 * with JSON's quoting, so they are read as JSON strings; one that is not (an HCL-only escape) is an
 * error naming where, never a crash.
 */
function hclStringLiteral(quoted: string, where: string): string {
  try {
    return parseExternalJson(z.string(), quoted, where);
  } catch (error) {
    if (!(error instanceof ExternalJsonError)) throw error;
    throw new Error(`${where}: cannot read ${quoted}: ${error.problems.join('; ')}; expected a string quoted as JSON quotes it`, {
      cause: error,
    });
  }
}

/** An encryption-context map: a JSON object of strings, or a `${tomap({...})}` expression. */
function readMap(value: unknown, where: string, resolve: (ref: string) => string | undefined): Record<string, string> {
  const literal = (text: string, at: string) => readTemplate(text, at, () => undefined);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // Object.fromEntries defines own properties, so a `__proto__` key stays a key.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (typeof v !== 'string')
          throw new Error(`${where}.${k}: ${JSON.stringify(v)} is not a string; encryption-context values are strings`);
        return [literal(k, `${where} (key ${JSON.stringify(k)})`), readTemplate(v, `${where}.${k}`, resolve)];
      }),
    );
  }
  const body = typeof value === 'string' ? TOMAP.exec(value)?.[1] : undefined;
  if (body !== undefined) {
    const entries: [string, string][] = [];
    HCL_PAIR.lastIndex = 0;
    while (HCL_PAIR.lastIndex < body.length) {
      const at = HCL_PAIR.lastIndex;
      const pair = HCL_PAIR.exec(body);
      if (pair === null || HCL_PAIR.lastIndex === at) {
        throw new Error(
          `${where}: cannot read ${JSON.stringify(value)} after ${JSON.stringify(body.slice(0, at))}; expected "key" = "value" pairs separated by commas`,
        );
      }
      const [key, val] = [hclStringLiteral(pair[1], `${where} (a key)`), hclStringLiteral(pair[2], `${where} (a value)`)];
      entries.push([literal(key, `${where} (key ${JSON.stringify(key)})`), literal(val, `${where}.${key}`)]);
    }
    return Object.fromEntries(entries);
  }
  throw new Error(`${where}: ${JSON.stringify(value)} is neither a map of strings nor a \${tomap({...})} expression the report can read`);
}

/** The grant's `constraints` blocks. */
function readConstraints(value: unknown, where: string, resolve: (ref: string) => string | undefined): KmsGrantConstraint[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: ${JSON.stringify(value)} is not a list of constraint blocks`);
  return value.map((block: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof block !== 'object' || block === null || Array.isArray(block))
      throw new Error(`${at}: ${JSON.stringify(block)} is not a constraint block`);
    const constraint: { -readonly [K in keyof KmsGrantConstraint]: KmsGrantConstraint[K] } = {};
    for (const [field, map] of Object.entries(block)) {
      if (!Object.hasOwn(CONSTRAINT_FIELDS, field)) {
        throw new Error(`${at}.${field}: not a constraint the report knows; allowed: ${Object.keys(CONSTRAINT_FIELDS).join(', ')}`);
      }
      if (map !== undefined && map !== null)
        constraint[CONSTRAINT_FIELDS[field as keyof typeof CONSTRAINT_FIELDS]] = readMap(map, `${at}.${field}`, resolve);
    }
    return constraint;
  });
}

/** The key a grant is on: the address `key_id` refers to, or `key_id` as written. */
function keyOf(value: unknown): string {
  const ref = typeof value === 'string' ? /^\$\{((?:aws_kms_key|aws_kms_replica_key)\.[^.}]+)\.(?:key_id|arn|id)\}$/.exec(value) : null;
  return ref ? ref[1] : typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Every `aws_kms_grant` of the stack, in the stack's order, with references to the roles this stack
 * creates (`roles`), the account, partition and region replaced by the placeholders.
 */
export function renderKmsGrants(stack: SynthesizedStack, placeholders: Placeholders, roles: readonly RenderedRole[]): KmsGrant[] {
  const resolve = (ref: string) => standIn(ref, placeholders, roles);
  return Object.entries(stack.resource?.aws_kms_grant ?? {}).map(([tfName, grant]) => {
    const address = `aws_kms_grant.${tfName}`;
    const text = (field: string): string => {
      const value = grant[field];
      if (typeof value !== 'string') throw new Error(`${address}.${field}: ${JSON.stringify(value)} is not a string`);
      return readTemplate(value, `${address}.${field}`, resolve);
    };
    const operations = grant.operations;
    if (!Array.isArray(operations) || !operations.every((op): op is string => typeof op === 'string')) {
      throw new Error(`${address}.operations: ${JSON.stringify(operations)} is not a list of KMS grant operations`);
    }
    return {
      address,
      name: text('name'),
      key: keyOf(grant.key_id),
      granteePrincipal: text('grantee_principal'),
      operations: operations.map((op, i) => readTemplate(op, `${address}.operations[${i}]`, () => undefined)),
      ...(grant.retiring_principal === undefined || grant.retiring_principal === null
        ? {}
        : { retiringPrincipal: text('retiring_principal') }),
      constraints: readConstraints(grant.constraints, `${address}.constraints`, resolve),
    };
  });
}
