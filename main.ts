/**
 * Entry point: `npm run synth` (or `cdktf synth`). Loads the config named by KMS_CONFIG (or the
 * embedded default), builds one stack per environment and synthesizes them to cdktf.out.
 */
import { runAsProcess } from './app/cli';
import { runSynth } from './app/synth';

runAsProcess('npm run synth', () => runSynth(process.argv.slice(2)));
