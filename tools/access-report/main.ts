/** Entry point of `npm run access-report`; see `args.ts` for the options and `run.ts` for the job. */
import { runAsProcess } from '../../app/cli';
import { runAccessReport } from './run';

runAsProcess('npm run access-report', () => runAccessReport(process.argv.slice(2)));
