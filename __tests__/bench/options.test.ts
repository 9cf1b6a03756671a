/** `npm run bench` options: parsed with the shared parser; unknown ones are refused naming the allowed ones. */
import { UsageError } from '../../app/cli';
import { parseOptions, USAGE } from '../../tools/bench/options';

describe('npm run bench options', () => {
  test('the defaults: full runs, time npm test, write BENCHMARKS.md', () => {
    expect(parseOptions([])).toEqual({ quick: false, tests: true, write: true, help: false });
  });

  test('--quick, --no-tests, --no-write and -h each turn their setting', () => {
    expect(parseOptions(['--quick', '--no-tests', '--no-write'])).toEqual({ quick: true, tests: false, write: false, help: false });
    expect(parseOptions(['-h']).help).toBe(true);
  });

  test('an unknown option, a stray argument or a value given to a flag is a UsageError', () => {
    expect(() => parseOptions(['--fast'])).toThrow(
      new UsageError("Unknown option '--fast'; allowed: --quick, --no-tests, --no-write, --help (-h)"),
    );
    expect(() => parseOptions(['quick'])).toThrow(UsageError);
    expect(() => parseOptions(['--quick=yes'])).toThrow("Option '--quick' does not take an argument");
  });

  test('the usage names every option', () => {
    for (const option of ['--quick', '--no-tests', '--no-write', '--help']) expect(USAGE).toContain(option);
  });
});
