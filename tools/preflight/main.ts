/** Entry point of `npm run preflight`; see `cli.ts` and `--help`. */
import { runAsProcess } from '../../app/cli';
import { runCli } from './cli';

runAsProcess('npm run preflight', () => runCli(process.argv.slice(2)));
