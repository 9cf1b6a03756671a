/**
 * The IAM principals the synthesized key policy and the key's KMS grants name, each with where it
 * comes from in the config (`key.administrators[0]`, `key.users[1]`, `lambdaRole`,
 * `key.kmsGrants[0].granteePrincipal`) or, for grants made in code, the statement that names it. Reading them from the policy rather than the config means a
 * principal added by a grant method is checked too.
 */
import type { EnvironmentConfig } from '../../config/schema';
import { roleArn } from '../../policy/arn';
import { type PolicyDocument, statementsOf } from '../../policy/render';

/** One principal and every place that names it. */
export interface KeyPolicyPrincipal {
  readonly arn: string;
  /** Config fields (`key.administrators[0]`) or statements (`key policy statement <Sid>`). */
  readonly sources: readonly string[];
}

/** The ARN of the environment's Lambda role in `accountId`, or undefined without one. */
export function lambdaRoleArn(environment: EnvironmentConfig, accountId: string): string | undefined {
  const role = environment.lambdaRole;
  return role && roleArn(environment.partition, accountId, role.path, role.name);
}

/** Every AWS principal of the policy's statements, in order of first appearance, with its sources. */
export function keyPolicyPrincipals(policy: PolicyDocument, environment: EnvironmentConfig, accountId: string): KeyPolicyPrincipal[] {
  const fields = new Map<string, string[]>();
  const add = (arn: string, source: string) => fields.set(arn, [...(fields.get(arn) ?? []), source]);
  environment.key.administrators.forEach((arn, index) => add(arn, `key.administrators[${index}]`));
  environment.key.users.forEach((arn, index) => add(arn, `key.users[${index}]`));
  const lambda = lambdaRoleArn(environment, accountId);
  if (lambda) add(lambda, 'lambdaRole');

  const found = new Map<string, Set<string>>();
  statementsOf(policy).forEach((statement, index) => {
    if (!statement.Principal || statement.Principal === '*' || statement.Principal.AWS === undefined) return;
    for (const arn of [statement.Principal.AWS].flat()) {
      const sources = found.get(arn) ?? new Set<string>();
      // A principal the config names is reported by its field; any other by its statement.
      for (const source of fields.get(arn) ?? [`key policy statement ${statement.Sid ?? `#${index + 1}`}`]) sources.add(source);
      found.set(arn, sources);
    }
  });
  // KMS grants name principals outside the policy; CreateGrant fails for one that does not exist.
  environment.key.kmsGrants.forEach((grant, index) => {
    for (const field of ['granteePrincipal', 'retiringPrincipal'] as const) {
      const arn = grant[field];
      if (arn !== undefined) found.set(arn, new Set([...(found.get(arn) ?? []), `key.kmsGrants[${index}].${field}`]));
    }
  });
  return [...found].map(([arn, sources]) => ({ arn, sources: [...sources] }));
}
