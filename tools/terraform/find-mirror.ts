/**
 * Prints the folder of a local provider mirror that holds hashicorp/aws, for `.ci/run` to export
 * as TF_PROVIDER_MIRROR; exits 1 (printing nothing) when there is none.
 */
import { discoverProviderMirror } from './discover-mirror';

const root = discoverProviderMirror();
if (root) console.log(root);
process.exitCode = root ? 0 : 1;
