/**
 * `npm run plan -- <environment>`: synthesizes, then runs terraform init and plan for one
 * environment with the user's credentials and backend, and writes the plan JSON to
 * cdktf.out/plans/<environment>.plan.json. `--help` for the options; exit codes 0 planned,
 * 1 Terraform failed, 2 bad usage or config.
 */
import { runPlanCommand } from '../terraform/user-plan';

runPlanCommand(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
