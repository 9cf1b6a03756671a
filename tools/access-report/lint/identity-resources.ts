/**
 * Every resource of an identity policy is `*` or an ARN. The evaluator (like a careless reader)
 * would treat a malformed resource such as `foo` as matching everything.
 */
import type { LintProblem } from '../types';
import { asList, labelledStatements, type LintCheck, policiesOf } from './check';

/** `arn:partition:service:region:account:resource`, where region and account may be empty. */
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws|\*)?:.+$/;

/** Flags identity-policy resources that are neither `*` nor an ARN. */
export const identityResources: LintCheck = ({ rendered }) => {
  const problems: LintProblem[] = [];
  for (const policy of policiesOf(rendered).filter((p) => p.identity)) {
    for (const { label, statement } of labelledStatements(policy.document)) {
      for (const resource of asList(statement.Resource)) {
        if (resource !== '*' && !ARN.test(resource)) {
          problems.push({
            check: 'identity-resources',
            where: `${policy.where} ${label}`,
            message: `resource "${resource}" is neither "*" nor an ARN`,
          });
        }
      }
    }
  }
  return problems;
};
