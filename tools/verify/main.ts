/** Entry point of `npm run verify`; see `cli.ts` and `--help`. */
import { runCli } from './cli';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
