/** A context for `runPlanCommand` that captures what it prints, for the plan command's tests. */
import type { PlanCommandContext } from '../../tools/terraform/user-plan';

/** A context running in `cwd` with exactly `env`, whose output lines are kept in `out` and `err`. */
export function capture(cwd: string, env: NodeJS.ProcessEnv): PlanCommandContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd, env, out, err, log: (l) => out.push(l), error: (l) => err.push(l), inheritOutput: false };
}
