/** Entry point of `npm run verify`: `--help` and the options first, then the AWS SDK check, then `cli.ts`. */
import { runAsProcess } from '../../app/cli';
import { runCommandEntry } from '../lib/command-entry';
import { VERIFY_ENTRY } from './args';

runAsProcess('npm run verify', () => runCommandEntry(VERIFY_ENTRY, process.argv.slice(2)));
