/** Entry point of `npm run access-report`: `--help` and the options first (`args.ts`), then the IAM simulator check, then `run.ts`. */
import { runAsProcess } from '../../app/cli';
import { runCommandEntry } from '../lib/command-entry';
import { ACCESS_REPORT_ENTRY } from './args';

runAsProcess('npm run access-report', () => runCommandEntry(ACCESS_REPORT_ENTRY, process.argv.slice(2)));
