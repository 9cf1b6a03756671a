/** Entry point of `npm run verify`; see `cli.ts` and `--help`. */
import { runAsProcess } from '../../app/cli';
import { AWS_SDK_CLIENTS, requireInstalled } from '../lib/dev-dependencies';

runAsProcess('npm run verify', async () => {
  // Checked before the command's modules load: they require the AWS SDK at once.
  requireInstalled(AWS_SDK_CLIENTS);
  const { runCli } = await import('./cli');
  return runCli(process.argv.slice(2));
});
