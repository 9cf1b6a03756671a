/** Entry point of `npm run preflight`: `--help` and the options first, then the AWS SDK check, then `cli.ts`. */
import { runAsProcess } from '../../app/cli';
import { runCommandEntry } from '../lib/command-entry';
import { PREFLIGHT_ENTRY } from './args';

runAsProcess('npm run preflight', () => runCommandEntry(PREFLIGHT_ENTRY, process.argv.slice(2)));
