/** The options verify and preflight share (tools/lib/aws-command-options.ts), parsed with the shared parser. */
import { UsageError } from '../../app/cli';
import { parseAwsCommandOptions } from '../../tools/lib/aws-command-options';

describe('verify and preflight options', () => {
  test('every option, long, short and with =', () => {
    expect(parseAwsCommandOptions(['-e', 'prod', '--region=eu-west-1', '--profile', 'ops', '--json'])).toEqual({
      env: 'prod',
      region: 'eu-west-1',
      profile: 'ops',
      json: true,
      help: false,
    });
    expect(parseAwsCommandOptions([])).toEqual({ env: undefined, region: undefined, profile: undefined, json: false, help: false });
    expect(parseAwsCommandOptions(['-h']).help).toBe(true);
  });

  test('an unknown option names the allowed ones; a missing value, a stray argument and a bad region or profile are refused', () => {
    expect(() => parseAwsCommandOptions(['--envs', 'x'])).toThrow(
      new UsageError("Unknown option '--envs'; allowed: --env <value> (-e), --region <value>, --profile <value>, --json, --help (-h)"),
    );
    expect(() => parseAwsCommandOptions(['--env'])).toThrow("Option '-e, --env <value>' argument missing");
    expect(() => parseAwsCommandOptions(['prod'])).toThrow("Unexpected argument 'prod'");
    expect(() => parseAwsCommandOptions(['--region', 'moon-1'])).toThrow('--region "moon-1" is not a region name such as us-east-1');
    expect(() => parseAwsCommandOptions(['--profile', 'a b'])).toThrow('--profile "a b" is not a valid profile name');
  });
});
