/** Entry point of `npm run access-report`; see `args.ts` for the options and `run.ts` for the job. */
import { runAsProcess } from '../../app/cli';
import { IAM_SIMULATOR_PACKAGES, requireInstalled } from '../lib/dev-dependencies';

runAsProcess('npm run access-report', async () => {
  // Checked before the report's modules load: they require the IAM simulator at once.
  requireInstalled(IAM_SIMULATOR_PACKAGES);
  const { runAccessReport } = await import('./run');
  return runAccessReport(process.argv.slice(2));
});
