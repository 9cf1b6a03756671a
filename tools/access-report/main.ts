/** Entry point of `npm run access-report`; see `args.ts` for the options and `run.ts` for the job. */
import { runAccessReport } from './run';

runAccessReport(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
