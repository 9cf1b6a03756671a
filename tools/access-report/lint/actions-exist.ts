/** Every action, or action pattern, in every policy names something in the IAM catalogue (`@cloud-copilot/iam-expand`). */
import { expandIamActions, type InvalidActionBehavior } from '@cloud-copilot/iam-expand';
import type { LintProblem } from '../types';
import { asList, labelledStatements, type LintCheck, policiesOf } from './check';

async function problemOf(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  try {
    const expanded = await expandIamActions(action, {
      // The enum is exported as a type only; its runtime value is the string.
      invalidActionBehavior: 'Error' as InvalidActionBehavior,
      errorOnInvalidFormat: true,
      errorOnInvalidService: true,
    });
    return expanded.length === 0 ? `"${action}" matches no action in the IAM catalogue` : undefined;
  } catch (error) {
    return `"${action}" is not a known action: ${(error as Error).message}`;
  }
}

/** Flags unknown actions and patterns that match nothing. */
export const actionsExist: LintCheck = async ({ rendered }) => {
  const problems: LintProblem[] = [];
  for (const policy of policiesOf(rendered)) {
    for (const { label, statement } of labelledStatements(policy.document)) {
      const raw = statement as unknown as { NotAction?: string | string[] };
      for (const action of [...asList(statement.Action), ...asList(raw.NotAction)]) {
        const message = await problemOf(action);
        if (message) problems.push({ check: 'actions-exist', where: `${policy.where} ${label}`, message });
      }
    }
  }
  return problems;
};
