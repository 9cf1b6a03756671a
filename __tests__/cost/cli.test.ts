/** `npm run cost`: options, output and exit codes (0 printed, 1 internal error, 2 bad config or usage). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../app/cli';
import { parseCostArgs } from '../../tools/cost/args';
import type { JsonCostReport } from '../../tools/cost/format-json';
import { runCost } from '../../tools/cost/run';

const FIXTURE = join(__dirname, '..', 'fixtures', 'cost-replicas-audit.json');

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCost(argv, { env, cwd: __dirname, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('arguments', () => {
  test('--json and --help; nothing else', () => {
    expect(parseCostArgs([])).toEqual({ json: false, help: false });
    expect(parseCostArgs(['--json', '-h'])).toEqual({ json: true, help: true });
    expect(() => parseCostArgs(['--env', 'prod'])).toThrow(UsageError);
    expect(() => parseCostArgs(['prod'])).toThrow(UsageError);
  });
});

describe('the command', () => {
  test('--help prints the usage and exits 0, even beside a wrong option, without reading the config', () => {
    for (const argv of [['--help'], ['-h'], ['--frobnicate', '--help']]) {
      const { code, out, err } = run(argv, { KMS_CONFIG: join(__dirname, 'no-such-config.json') });
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: npm run cost -- \[--json\]/);
      expect(out).toContain('$0.03 per 10,000 requests to symmetric keys');
      expect(err).toBe('');
    }
  });

  test('prints the table: every environment, the mark for no accountId, the exclusions, the source and date', () => {
    const { code, out, err } = run([], { KMS_CONFIG: FIXTURE });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(
      /^Monthly cost estimate in US dollars, AWS KMS and Secrets Manager, prices checked 2026-12\n\(https:\/\/aws\.amazon\.com\/kms\/pricing\/, https:\/\/aws\.amazon\.com\/secrets-manager\/pricing\/\)/,
    );
    expect(out).toMatch(
      /^prod +111122223333 +6 +90 days +1,500,000 +5,000 +1,495,000 +2 +\$11\.29 +\$23\.29 +day 730 \(about 24 months\)$/m,
    );
    expect(out).toMatch(/^dev +none \* +1 +365 days +30,000 +0 +30,000 +0 +\$1\.09 +\$3\.09 /m);
    expect(out).toMatch(/^signing +444455556666 +1 +none +not estimated +- +- +0 +\$1\.00 +\$1\.00 +-$/m);
    expect(out).toMatch(/^total +\$14\.78 +\$30\.78 +day 730 \(about 24 months\)$/m);
    expect(out).toContain(
      '  monthly: $11.29 from day 0, $14.29 from day 90 (about 3 months), $17.29 from day 180 (about 6 months), $20.29 from day 365 (about 12 months), $23.29 from day 730 (about 24 months)',
    );
    expect(out).toContain('  * no accountId: the free tier is not applied');
    expect(out).toContain('  111122223333 (staging, prod): 1,515,000 requests, 20,000 free, 1,495,000 billed: $4.49');
    expect(out).toContain('Secrets Manager API calls ($0.05 per 10,000) are excluded: their number is not known');
  });

  test('--json prints the whole estimate, amounts exact and rounded', () => {
    const { code, out } = run(['--json'], { KMS_CONFIG: FIXTURE });
    expect(code).toBe(0);
    const json = JSON.parse(out) as JsonCostReport;
    expect(Object.keys(json)).toEqual(['currency', 'pricesChecked', 'sources', 'prices', 'environments', 'accounts', 'total', 'excluded']);
    expect(json.currency).toBe('USD');
    expect(json.pricesChecked).toBe('2026-12');
    expect(json.sources).toEqual(['https://aws.amazon.com/kms/pricing/', 'https://aws.amazon.com/secrets-manager/pricing/']);
    expect(json.prices.symmetricRequests).toMatchObject({ price: { microUsd: 30_000, usd: 0.03 }, per: 10_000 });
    expect(json.environments.map((e) => [e.name, e.accountId, e.firstMonth.usd, e.steady.usd, e.capDay])).toEqual([
      ['staging', '111122223333', 1.4, 3.4, 730],
      ['prod', '111122223333', 11.29, 23.29, 730],
      ['dev', null, 1.09, 3.09, 730],
      ['signing', '444455556666', 1, 1, null],
    ]);
    expect(json.environments[1].requests).toEqual({
      expectedPerMonth: 1_500_000,
      estimated: true,
      freeTierApplied: true,
      free: 5_000,
      billable: 1_495_000,
      cost: { microUsd: 4_485_000, usd: 4.49 },
    });
    expect(json.environments[1].keys[3]).toEqual({
      role: 'alert',
      region: 'eu-west-1',
      rotationPeriodInDays: 365,
      firstMonth: { microUsd: 1_000_000, usd: 1 },
      steady: { microUsd: 3_000_000, usd: 3 },
      capDay: 730,
    });
    expect(json.environments[2].requests.freeTierApplied).toBe(false);
    expect(json.total).toMatchObject({
      firstMonth: { microUsd: 14_775_000, usd: 14.78 },
      steady: { microUsd: 30_775_000, usd: 30.78 },
      capDay: 730,
    });
    expect(json.excluded[0]).toMatch(/^Secrets Manager API calls/);
  });

  test('the default config: one environment without accountId, $1.00 now and $3.00 from day 730', () => {
    const { code, out } = run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^tutorial +none \* +1 +365 days +0 +0 +0 +0 +\$1\.00 +\$3\.00 +day 730 \(about 24 months\)$/m);
  });

  describe('failures', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'kms-cost-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    test('a bad config exits 2, naming the field, and prints nothing on stdout', () => {
      const file = join(dir, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({ environments: { prod: { region: 'eu-west-1', key: { alias: 'x' }, expectedRequestsPerMonth: -5 } } }),
      );
      const { code, out, err } = run(['--json'], { KMS_CONFIG: file });
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('environments.prod.expectedRequestsPerMonth: -5 is negative');
    });

    test('a missing config file exits 2', () => {
      const { code, err } = run([], { KMS_CONFIG: join(dir, 'missing.json') });
      expect(code).toBe(2);
      expect(err).toMatch(/cannot read the config file/);
    });

    test('an unknown option or a positional argument exits 2 with one line', () => {
      const unknown = run(['--env', 'prod']);
      expect(unknown.code).toBe(2);
      // node:util's wording differs between Node versions; its first line names the option.
      expect(unknown.err).toMatch(/^npm run cost: Unknown option '--env'[^\n]* \(see --help\)$/);
      const positional = run(['prod']);
      expect(positional.code).toBe(2);
      expect(positional.err).toMatch(/^npm run cost: .*prod.* \(see --help\)$/);
    });
  });
});
