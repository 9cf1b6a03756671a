/**
 * JSON the tools read from outside the program, parsed with a zod schema instead of a cast: files
 * (`readJsonFile`) and AWS policy documents kept as JSON text (a deployed key policy, a policy
 * Terraform planned, a literal policy in a stack). Each schema describes only the fields the code
 * reads; every other field passes through untouched. A mismatch is an ExternalJsonError naming the
 * source and the path of each bad field (config/errors.ts formats it).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ExternalJsonError, fsReason, parseExternalJson, type Schema, typed } from '../../config/errors';
import { expected } from '../../config/fields';
import type { AwsStatement, PolicyDocument } from '../../policy/render';

export { ExternalJsonError };

/**
 * Reads `file` and parses it with `schema`; throws ExternalJsonError naming `shownAs` (the file's
 * path as the user should see it) when it cannot be read, is not JSON, or does not match.
 */
export function readJsonFile<Out>(schema: Schema<Out>, file: string, shownAs: string = file): Out {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExternalJsonError(shownAs, [`cannot be read: ${fsReason(error)}`]);
  }
  return parseExternalJson(schema, text, shownAs);
}

/**
 * A JSON object kept as it is (not copied): resource values and change documents can hold any
 * attribute, and a copy through `z.record` would drop a `__proto__` key.
 */
export const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  {
    error: expected('an object'),
  },
);

/** A policy value AWS writes as one string or a list of them (`Action`, `Resource`, a principal's ARNs). */
const stringOrList = z.union([z.string(), z.array(z.string())]);

/**
 * A condition value: strings, or numbers and booleans, which IAM compares as their text (`true` and
 * `"true"` alike), so they are read as text.
 */
const conditionScalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const conditionValue = z.union([conditionScalar, z.array(conditionScalar)]);

/** One statement as AWS writes it; fields the tools do not read (`NotAction`, ...) pass through. */
const statementSchema = typed<AwsStatement, unknown>()(
  z.looseObject({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Principal: z.union([z.literal('*'), z.record(z.string(), stringOrList)]).optional(),
    Action: stringOrList,
    Resource: stringOrList.optional(),
    Condition: z.record(z.string(), z.record(z.string(), conditionValue)).optional(),
  }),
);

/** An AWS policy document; a single statement object (which AWS accepts) is read as a list of one. */
export const policyDocumentSchema = typed<PolicyDocument, unknown>()(
  z.looseObject({
    Version: z.string(),
    Id: z.string().optional(),
    Statement: z.union([z.array(statementSchema), statementSchema.transform((statement) => [statement])]),
  }),
);

/** Parses policy JSON text (e.g. `kms:GetKeyPolicy`'s answer); throws ExternalJsonError naming `source` and the bad field. */
export function parsePolicyJson(text: string, source: string): PolicyDocument {
  return parseExternalJson(policyDocumentSchema, text, source);
}
