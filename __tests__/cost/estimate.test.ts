/**
 * The estimate pinned in dollars for __tests__/fixtures/cost-replicas-audit.json, worked by hand
 * (docs/cost.md shows the same sums):
 *
 * - staging (account 1111..., first in config order): 1 key $1; 15,000 requests, all free; 1
 *   secret $0.40: $1.40 now; rotation every 365 days: $3.40 from day 730.
 * - prod (same account): 3 keys (primary + 2 replicas, rotation every 90 days) + 3 alert keys
 *   (365 days) = $6; 1,500,000 requests, 5,000 free (the 20,000 less staging's 15,000), 1,495,000
 *   x $0.000003 = $4.485; 2 secrets $0.80: $11.285 now; then +$3 on day 90, +$3 on day 180
 *   (cap of the 90-day keys), +$3 on day 365, +$3 on day 730: $23.285.
 * - dev (no accountId): 1 key $1; 30,000 requests, no free tier: $0.09: $1.09, $3.09 from day 730.
 * - signing (RSA_2048): 1 key, no rotation, requests not estimated: $1.00.
 * - total: $14.775 now, $30.775 from day 730.
 */
import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { type CostEstimate, estimateCosts, formatUsd } from '../../policy/pricing';

const FIXTURE = join(__dirname, '..', 'fixtures', 'cost-replicas-audit.json');

describe('the estimate of cost-replicas-audit.json', () => {
  let estimate: CostEstimate;
  beforeAll(() => {
    estimate = estimateCosts(loadConfig({ KMS_CONFIG: FIXTURE }).environments);
  });
  const byName = (name: string) => estimate.environments.find((e) => e.name === name)!;

  test('is pinned in dollars, per environment and in total', () => {
    expect(estimate.environments.map((e) => [e.name, e.keys.length, formatUsd(e.firstMonth), formatUsd(e.steady), e.capDay])).toEqual([
      ['staging', 1, '$1.40', '$3.40', 730],
      ['prod', 6, '$11.29', '$23.29', 730],
      ['dev', 1, '$1.09', '$3.09', 730],
      ['signing', 1, '$1.00', '$1.00', undefined],
    ]);
    // Exact, before rounding to the cent.
    expect([byName('prod').firstMonth, byName('prod').steady]).toEqual([11_285_000, 23_285_000]);
    expect([estimate.total.firstMonth, estimate.total.steady, estimate.total.capDay]).toEqual([14_775_000, 30_775_000, 730]);
    expect([formatUsd(estimate.total.firstMonth), formatUsd(estimate.total.steady)]).toEqual(['$14.78', '$30.78']);
  });

  test('prod: its 90-day keys reach their cap on day 180, its alert keys on day 730', () => {
    expect(byName('prod').schedule.map((s) => [s.fromDay, formatUsd(s.monthly)])).toEqual([
      [0, '$11.29'],
      [90, '$14.29'],
      [180, '$17.29'],
      [365, '$20.29'],
      [730, '$23.29'],
    ]);
    expect(byName('prod').keys.map((k) => `${k.role} ${k.region} ${k.schedule.capDay}`)).toEqual([
      'primary eu-west-1 180',
      'replica us-east-1 180',
      'replica ap-southeast-2 180',
      'alert eu-west-1 730',
      'alert us-east-1 730',
      'alert ap-southeast-2 730',
    ]);
  });

  test('requests: one account’s free tier shared in config order, none without accountId, none estimated for RSA', () => {
    expect(
      estimate.environments.map((e) => [e.name, e.requests.expected, e.requests.free, e.requests.billable, formatUsd(e.requests.cost)]),
    ).toEqual([
      ['staging', 15_000, 15_000, 0, '$0.00'],
      ['prod', 1_500_000, 5_000, 1_495_000, '$4.49'],
      ['dev', 30_000, 0, 30_000, '$0.09'],
      ['signing', 100_000, 0, 0, '$0.00'],
    ]);
    expect(estimate.accounts).toEqual([
      {
        accountId: '111122223333',
        environments: ['staging', 'prod'],
        requests: 1_515_000,
        free: 20_000,
        billable: 1_495_000,
        cost: 4_485_000,
      },
      { accountId: '444455556666', environments: ['signing'], requests: 0, free: 0, billable: 0, cost: 0 },
    ]);
  });

  test('secrets: $0.40 each for the three declared', () => {
    expect(estimate.environments.map((e) => formatUsd(e.secrets.cost))).toEqual(['$0.40', '$0.80', '$0.00', '$0.00']);
  });
});
