/**
 * `key.additionalStatements`: extra key-policy statements in the model's own shape. The schema
 * checks their form; `policy/extra-statements.ts` checks the rules that need the key (account root,
 * administrators, Sids already taken).
 */
import { z } from 'zod';
import { typed } from './errors';
import type { ExtraStatement } from '../policy/extra-statements';
import { expected, show, strictObject } from './fields';

const strings = (what: string) => z.array(z.string({ error: expected('a string') }), { error: expected(what) });

/** One extra statement. */
export const extraStatementSchema = typed<ExtraStatement, ExtraStatement>()(
  strictObject({
    sid: z.string({ error: expected('a string') }),
    effect: z.enum(['Allow', 'Deny'], { error: (issue) => `${show(issue.input)} is not an effect; allowed: "Allow", "Deny"` }),
    principals: z.array(
      strictObject({
        type: z.enum(['AWS', 'Service'], { error: (issue) => `${show(issue.input)} is not a principal type; allowed: "AWS"` }),
        identifiers: strings('a list of principal ARNs').refine((ids) => ids.length > 0, { error: 'is empty' }),
      }),
      { error: expected('a list of principals') },
    ),
    actions: strings('a list of KMS actions'),
    conditions: z
      .array(
        strictObject({
          test: z.string({ error: expected('a condition operator') }),
          variable: z.string({ error: expected('a condition key') }),
          values: strings('a list of values'),
        }),
        {
          error: expected('a list of conditions'),
        },
      )
      .optional(),
  }),
);
