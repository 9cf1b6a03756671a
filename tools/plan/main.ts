/**
 * `npm run plan -- <environment>`: synthesizes, then runs terraform init and plan for one
 * environment with the user's credentials and backend, and writes the plan JSON to
 * cdktf.out/plans/<environment>.plan.json. `--help` for the options; exit codes 0 planned,
 * 1 Terraform failed, 2 bad usage or config.
 */
import { runAsProcess } from '../../app/cli';
import { processContext } from '../../app/synth';
import { runPlanCommand } from '../terraform/user-plan';

runAsProcess('npm run plan', () => runPlanCommand(process.argv.slice(2), processContext()));
