/**
 * Entry point: `npm run synth` (or `cdktf synth`). Loads the config named by KMS_CONFIG (or the
 * embedded default), builds one stack per environment and synthesizes them to cdktf.out.
 */
import { runSynth } from './app/synth';

runSynth().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
