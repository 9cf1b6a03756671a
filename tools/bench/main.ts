/**
 * Entry point of `npm run bench`: the options and `--help` first (`options.ts`), then the tinybench
 * check, then the bench (`run.ts`).
 */
import { runAsProcess } from '../../app/cli';
import { runCommandEntry } from '../lib/command-entry';
import { BENCH_ENTRY } from './options';

runAsProcess('npm run bench', () => runCommandEntry(BENCH_ENTRY, process.argv.slice(2)));
