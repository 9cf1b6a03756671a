/**
 * The Lambda role check: a role this stack creates must not exist yet (IAM would answer
 * `EntityAlreadyExists` half-way through the apply), and a role it imports
 * (`lambdaRole.importExisting`) must exist at the configured path (a role's path cannot change,
 * so Terraform would plan to replace it).
 */
import { oneLine } from '../verify/diagnosis';
import { lambdaRoleArn } from './key-policy-principals';
import { ALREADY_DEPLOYED_NOTE } from './notes';
import type { CheckResult, PreflightContext } from './types';

/** Check id. */
export const LAMBDA_ROLE_CHECK = 'lambda-role';

/** Who may run this check. */
export const LAMBDA_ROLE_NEEDS = 'iam:GetRole (IAM read access)';

/** Runs the Lambda role check. */
export async function checkLambdaRole(context: PreflightContext): Promise<CheckResult> {
  const role = context.environment.lambdaRole;
  if (!role) return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: 'the environment has no lambdaRole' };
  const arn = lambdaRoleArn(context.environment, context.accountId)!;
  const entity = await context.iam.role(role.name);
  switch (entity.kind) {
    case 'denied':
      return { id: LAMBDA_ROLE_CHECK, status: 'skipped', reason: `needs ${LAMBDA_ROLE_NEEDS}` };
    case 'error':
      return {
        id: LAMBDA_ROLE_CHECK,
        status: 'fail',
        reason: `role ${role.name} could not be looked up (iam:GetRole): ${oneLine(entity.error)}`,
        details: ['run preflight again; a transient IAM error'],
      };
    case 'missing':
      if (!role.importExisting) {
        return { id: LAMBDA_ROLE_CHECK, status: 'pass', reason: `role ${role.name} does not exist yet; the stack creates it as ${arn}` };
      }
      return {
        id: LAMBDA_ROLE_CHECK,
        status: 'fail',
        reason: `lambdaRole.importExisting is true, but role ${role.name} does not exist in account ${context.caller.accountId}: Terraform cannot import it`,
        details: [
          'create the role first, or correct lambdaRole.name',
          'or set lambdaRole.importExisting to false so that the stack creates the role',
        ],
      };
    case 'found':
      break;
  }
  if (!role.importExisting) {
    const pathNote =
      entity.path === role.path
        ? []
        : [
            `its path is ${JSON.stringify(entity.path)}, the config's lambdaRole.path ${JSON.stringify(role.path)}: to import it, set lambdaRole.path to ${JSON.stringify(entity.path)} as well (a role's path cannot change)`,
          ];
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: `role ${role.name} already exists (${entity.arn}): creating it would fail with EntityAlreadyExists (role names are unique per account, ignoring case)`,
      details: [
        'to manage that role with this stack, import it: set lambdaRole.importExisting to true (Terraform then sets its trust policy and tags to this stack\u2019s and adds the stack\u2019s role policy and attachments)',
        ...pathNote,
        'or give this stack a role of its own: rename lambdaRole.name',
        ALREADY_DEPLOYED_NOTE,
      ],
    };
  }
  if (entity.arn !== arn) {
    return {
      id: LAMBDA_ROLE_CHECK,
      status: 'fail',
      reason: `lambdaRole names ${arn}, but IAM has the role as ${entity.arn}: imported at another path or name, Terraform would plan to replace it (a role's path cannot change)`,
      details: [`set lambdaRole.path to ${JSON.stringify(entity.path)} and lambdaRole.name to ${JSON.stringify(entity.name)}`],
    };
  }
  return { id: LAMBDA_ROLE_CHECK, status: 'pass', reason: `role ${entity.arn} exists; the stack imports it (lambdaRole.importExisting)` };
}
