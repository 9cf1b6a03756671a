/** Model statements to the `statement` blocks of `aws_iam_policy_document`. */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { PolicyStatement } from '../policy/statement';

/** The provider's statement blocks for model statements; same content, provider types. */
export function toPolicyDocumentStatements(statements: readonly PolicyStatement[]): DataAwsIamPolicyDocumentStatement[] {
  return statements.map((s) => ({
    sid: s.sid,
    effect: s.effect,
    actions: [...s.actions],
    resources: s.resources && [...s.resources],
    principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  }));
}
