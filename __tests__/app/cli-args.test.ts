/** app/cli.ts parseCommandArgs: the one argument parser of every command. */
import { parseCommandArgs, UsageError } from '../../app/cli';

const OPTIONS = { json: { type: 'boolean', default: false }, env: { type: 'string', short: 'e' } } as const;

test('parses known options, with defaults and short names', () => {
  expect(parseCommandArgs(['-e', 'prod'], OPTIONS).values).toEqual({ json: false, env: 'prod' });
  expect(parseCommandArgs(['--json', '--env=dev'], OPTIONS).values).toEqual({ json: true, env: 'dev' });
});

test('refuses an unknown option, a missing value and a stray argument with a one-line UsageError', () => {
  expect(() => parseCommandArgs(['--jsn'], OPTIONS)).toThrow(UsageError);
  expect(() => parseCommandArgs(['--jsn'], OPTIONS)).toThrow(/^Unknown option '--jsn'/);
  expect(() => parseCommandArgs(['--env'], OPTIONS)).toThrow(/--env/);
  expect(() => parseCommandArgs(['prod'], OPTIONS)).toThrow(/Unexpected argument 'prod'/);
  try {
    parseCommandArgs(['--jsn'], OPTIONS);
  } catch (error) {
    expect((error as Error).message).not.toContain('\n');
  }
});

test('an unknown option lists the allowed ones, without parseArgs’s hint about positionals', () => {
  expect(() => parseCommandArgs(['--jsn'], OPTIONS, true)).toThrow(
    new UsageError("Unknown option '--jsn'; allowed: --json, --env <value> (-e)"),
  );
  expect(() => parseCommandArgs(['-x'], OPTIONS)).toThrow(new UsageError("Unknown option '-x'; allowed: --json, --env <value> (-e)"));
});

test('takes positionals only when allowed', () => {
  expect(parseCommandArgs(['prod', '--json'], OPTIONS, true)).toEqual({ values: { json: true }, positionals: ['prod'] });
});
