/** Entry point of `npm run cost`; see `args.ts` for the options and `run.ts` for the job. */
import { runAsProcess } from '../../app/cli';
import { runCost } from './run';

runAsProcess('npm run cost', () => runCost(process.argv.slice(2)));
