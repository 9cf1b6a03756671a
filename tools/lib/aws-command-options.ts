/**
 * The command-line options of the AWS check commands (`npm run verify`, `npm run preflight`):
 * `--env`, `--region`, `--profile`, `--json` and `--help`. One parser with one set of rules, so a
 * profile or region that works for one command works for the other.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../app/cli';

/** Parsed options. */
export interface AwsCommandOptions {
  /** `--env`, `-e`: the environment in the config; undefined when left out (allowed when the config has one). */
  readonly env?: string;
  /** `--region`: the region to query; undefined for the environment's. */
  readonly region?: string;
  /** `--profile`: an AWS shared-config profile; undefined for AWS_PROFILE or the default chain. */
  readonly profile?: string;
  /** `--json`: print the report as JSON. */
  readonly json: boolean;
  /** `--help`, `-h`: print the help. */
  readonly help: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PROFILE = /^[\w.+=@:/-]{1,128}$/;

/** Parses the arguments after `npm run <command> --`; throws UsageError with one line. */
export function parseAwsCommandOptions(argv: readonly string[]): AwsCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string', short: 'e' },
        region: { type: 'string' },
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (values.region !== undefined && !REGION.test(values.region)) {
    throw new UsageError(`--region ${JSON.stringify(values.region)} is not a region name such as us-east-1`);
  }
  if (values.profile !== undefined && !PROFILE.test(values.profile)) {
    throw new UsageError(`--profile ${JSON.stringify(values.profile)} is not a valid profile name`);
  }
  return { env: values.env, region: values.region, profile: values.profile, json: values.json ?? false, help: values.help ?? false };
}
