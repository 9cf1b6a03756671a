/** Entry point of `npm run verify`; see `cli.ts` and `--help`. */
import { runAsProcess } from '../../app/cli';
import { runCli } from './cli';

runAsProcess('npm run verify', () => runCli(process.argv.slice(2)));
