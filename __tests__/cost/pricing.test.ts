/** The price table and the pricing functions of policy/pricing.ts, unit by unit. */
import {
  aboutMonths,
  allocateFreeTier,
  type CostEnvironment,
  describeDay,
  estimateCosts,
  excludedLines,
  formatCount,
  formatUsd,
  keyCostSchedule,
  PRICES,
  priceOf,
  pricingKindOf,
  sumSchedules,
  usdOf,
} from '../../policy/pricing';

/** $n in micro-dollars. */
const usd = (dollars: number) => Math.round(dollars * 1_000_000);

/** A symmetric environment with rotation every 365 days, no replicas, no audit, no secrets, no requests. */
function env(
  name: string,
  overrides: Partial<Omit<CostEnvironment, 'key'>> & { key?: Partial<CostEnvironment['key']> } = {},
): CostEnvironment {
  const { key, ...rest } = overrides;
  return {
    name,
    region: 'eu-west-1',
    accountId: '111122223333',
    secrets: [],
    audit: undefined,
    expectedRequestsPerMonth: 0,
    ...rest,
    key: { keySpec: 'SYMMETRIC_DEFAULT', enableKeyRotation: true, rotationPeriodInDays: 365, replicaRegions: [], ...key },
  };
}

describe('the price table', () => {
  test('names its sources and the month it was checked', () => {
    expect(PRICES.checked).toBe('2026-12');
    expect(PRICES.sources).toEqual({
      kms: 'https://aws.amazon.com/kms/pricing/',
      secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
    });
  });

  test('every price is a whole number of micro-dollars with its unit', () => {
    const prices = [PRICES.key, PRICES.rotation, PRICES.symmetricRequests, PRICES.secret, PRICES.secretsManagerApiCalls];
    for (const price of prices) {
      expect(Number.isInteger(price.microUsd)).toBe(true);
      expect(price.unit).not.toBe('');
    }
    expect(prices.map((p) => [p.microUsd, p.per])).toEqual([
      [usd(1), 1],
      [usd(1), 1],
      [usd(0.03), 10_000],
      [usd(0.4), 1],
      [usd(0.05), 10_000],
    ]);
    expect(PRICES.chargedRotations).toBe(2);
    expect(PRICES.freeRequests.requests).toBe(20_000);
  });

  test('priceOf is exact: 3 micro-dollars a symmetric request, even for very many requests', () => {
    expect(priceOf(PRICES.symmetricRequests, 1)).toBe(3);
    expect(priceOf(PRICES.symmetricRequests, 5_000)).toBe(15_000);
    expect(priceOf(PRICES.symmetricRequests, 1_495_000)).toBe(usd(4.485));
    expect(priceOf(PRICES.symmetricRequests, 1_000_000_000_000)).toBe(3_000_000_000_000);
    expect(() => priceOf(PRICES.symmetricRequests, -1)).toThrow(RangeError);
    expect(() => priceOf(PRICES.symmetricRequests, 1.5)).toThrow(RangeError);
  });
});

describe('rotation: $1 more after each of the first two rotations, then capped', () => {
  test('no rotation: $1 a month, no cap', () => {
    expect(keyCostSchedule(undefined)).toEqual({
      firstMonth: usd(1),
      steady: usd(1),
      capDay: undefined,
      steps: [{ fromDay: 0, monthly: usd(1) }],
    });
  });

  test('every P days: $1 from day 0, $2 from day P, $3 from day 2P (the cap), and no more', () => {
    expect(keyCostSchedule(365)).toEqual({
      firstMonth: usd(1),
      steady: usd(3),
      capDay: 730,
      steps: [
        { fromDay: 0, monthly: usd(1) },
        { fromDay: 365, monthly: usd(2) },
        { fromDay: 730, monthly: usd(3) },
      ],
    });
    expect(keyCostSchedule(2560).capDay).toBe(5120);
  });

  test('a 90-day period reaches the cap on day 180, about six months', () => {
    const schedule = keyCostSchedule(90);
    expect(schedule.capDay).toBe(180);
    expect(schedule.steady).toBe(usd(3));
    expect(aboutMonths(180)).toBe(6);
    expect(describeDay(180)).toBe('day 180 (about 6 months)');
  });

  test('a period that is not a whole number of days above 0 is refused', () => {
    expect(() => keyCostSchedule(0)).toThrow(RangeError);
    expect(() => keyCostSchedule(90.5)).toThrow(RangeError);
  });

  test('schedules add up step by step, with a constant', () => {
    expect(sumSchedules([keyCostSchedule(90).steps, keyCostSchedule(365).steps], usd(0.4))).toEqual([
      { fromDay: 0, monthly: usd(2.4) },
      { fromDay: 90, monthly: usd(3.4) },
      { fromDay: 180, monthly: usd(4.4) },
      { fromDay: 365, monthly: usd(5.4) },
      { fromDay: 730, monthly: usd(6.4) },
    ]);
  });
});

describe('the free tier: 20,000 requests a month per account, given in config order', () => {
  test('two environments of one account share it: the first takes what it needs, the second the rest', () => {
    expect(
      allocateFreeTier([
        { accountId: 'A', requests: 15_000 },
        { accountId: 'A', requests: 1_500_000 },
      ]),
    ).toEqual([15_000, 5_000]);
    expect(
      allocateFreeTier([
        { accountId: 'A', requests: 30_000 },
        { accountId: 'A', requests: 10 },
      ]),
    ).toEqual([20_000, 0]);
  });

  test('each account has its own; an environment without an account gets none and takes none', () => {
    expect(
      allocateFreeTier([
        { accountId: undefined, requests: 50_000 },
        { accountId: 'A', requests: 30_000 },
        { accountId: 'B', requests: 5_000 },
      ]),
    ).toEqual([0, 20_000, 5_000]);
  });

  test('estimate: two environments of one account share it, and each says with whom', () => {
    const estimate = estimateCosts([
      env('staging', { expectedRequestsPerMonth: 15_000 }),
      env('prod', { expectedRequestsPerMonth: 25_000 }),
    ]);
    const [staging, prod] = estimate.environments;
    expect([staging.requests.free, staging.requests.billable, staging.requests.cost]).toEqual([15_000, 0, 0]);
    expect([prod.requests.free, prod.requests.billable, prod.requests.cost]).toEqual([5_000, 20_000, usd(0.06)]);
    expect(staging.notes).toContain("shares account 111122223333's free tier with prod (given in config order)");
    expect(estimate.accounts).toEqual([
      { accountId: '111122223333', environments: ['staging', 'prod'], requests: 40_000, free: 20_000, billable: 20_000, cost: usd(0.06) },
    ]);
  });

  test('estimate: a note names at most four sharers, then counts the rest', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const [first] = estimateCosts(names.map((name) => env(name))).environments;
    expect(first.notes).toEqual(["shares account 111122223333's free tier with b, c, d and 2 more (given in config order)"]);
  });

  test('estimate: an environment without accountId is marked, pays every request, and does not share', () => {
    const estimate = estimateCosts([
      env('dev', { accountId: undefined, expectedRequestsPerMonth: 30_000 }),
      env('prod', { expectedRequestsPerMonth: 20_000 }),
    ]);
    const [dev, prod] = estimate.environments;
    expect(dev.requests).toEqual({ expected: 30_000, estimated: true, freeTierApplied: false, free: 0, billable: 30_000, cost: usd(0.09) });
    expect(dev.notes).toContain(
      'no accountId: the free tier is not applied (the account is not known, and may be shared with other environments)',
    );
    expect(prod.requests.free).toBe(20_000);
    expect(prod.notes.some((n) => n.includes('shares'))).toBe(false);
    expect(estimate.accounts.map((a) => a.accountId)).toEqual(['111122223333']);
  });
});

describe('keys: replicas and alert keys are keys', () => {
  test('each replica costs a key and carries its primary’s rotation charges', () => {
    const [e] = estimateCosts([
      env('global', { key: { rotationPeriodInDays: 90, replicaRegions: ['us-east-1', 'ap-southeast-2'] } }),
    ]).environments;
    expect(e.keys.map((k) => [k.role, k.region, k.rotationPeriodInDays, k.schedule.steady])).toEqual([
      ['primary', 'eu-west-1', 90, usd(3)],
      ['replica', 'us-east-1', 90, usd(3)],
      ['replica', 'ap-southeast-2', 90, usd(3)],
    ]);
    expect([e.firstMonth, e.steady, e.capDay]).toEqual([usd(3), usd(9), 180]);
    expect(e.notes[0]).toMatch(/^2 replicas \(us-east-1, ap-southeast-2\): each billed as a key, with its primary's rotation charges/);
  });

  test('audit without snsTopicArn adds one alert key per key region, rotating every 365 days', () => {
    const [e] = estimateCosts([env('prod', { key: { replicaRegions: ['us-east-1'] }, audit: { snsTopicArn: undefined } })]).environments;
    expect(e.keys.map((k) => [k.role, k.region, k.rotationPeriodInDays])).toEqual([
      ['primary', 'eu-west-1', 365],
      ['replica', 'us-east-1', 365],
      ['alert', 'eu-west-1', 365],
      ['alert', 'us-east-1', 365],
    ]);
    expect([e.firstMonth, e.steady, e.capDay]).toEqual([usd(4), usd(12), 730]);
  });

  test('audit with its own SNS topic makes no alert key', () => {
    const [e] = estimateCosts([env('prod', { audit: { snsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts' } })]).environments;
    expect(e.keys.map((k) => k.role)).toEqual(['primary']);
  });
});

describe('asymmetric and HMAC keys: storage and rotation only', () => {
  test('their requests are not estimated, said so, and take no free tier', () => {
    const estimate = estimateCosts([
      env('signing', {
        key: { keySpec: 'RSA_2048', enableKeyRotation: false, rotationPeriodInDays: undefined },
        expectedRequestsPerMonth: 100_000,
      }),
      env('mac', {
        key: { keySpec: 'HMAC_256', enableKeyRotation: false, rotationPeriodInDays: undefined },
        expectedRequestsPerMonth: 100_000,
      }),
      env('prod', { expectedRequestsPerMonth: 20_000 }),
    ]);
    const [signing, mac, prod] = estimate.environments;
    expect([
      pricingKindOf('RSA_2048'),
      pricingKindOf('ECC_NIST_P256'),
      pricingKindOf('SM2'),
      pricingKindOf('HMAC_256'),
      pricingKindOf('SYMMETRIC_DEFAULT'),
    ]).toEqual(['asymmetric', 'asymmetric', 'asymmetric', 'hmac', 'symmetric']);
    expect(signing.requests).toEqual({ expected: 100_000, estimated: false, freeTierApplied: true, free: 0, billable: 0, cost: 0 });
    expect([signing.firstMonth, signing.steady, signing.capDay]).toEqual([usd(1), usd(1), undefined]);
    expect(signing.notes).toContain(
      'RSA_2048 is an asymmetric key: storage and rotation only; its requests are priced by operation and not estimated',
    );
    expect(mac.notes).toContain(
      'HMAC_256 is an HMAC key: storage and rotation only; its requests are priced by operation and not estimated',
    );
    expect(prod.requests.free).toBe(20_000);
    expect(estimate.excluded).toContain(
      'Requests to asymmetric and HMAC keys are priced by operation and are not estimated: such keys count storage and rotation only.',
    );
  });
});

describe('Secrets Manager', () => {
  test('each declared secret costs $0.40 a month; API calls are excluded with a line saying so', () => {
    const [e] = estimateCosts([env('prod', { secrets: [{}, {}, {}] })]).environments;
    expect(e.secrets).toEqual({ count: 3, cost: usd(1.2) });
    expect(e.firstMonth).toBe(usd(2.2));
    expect(excludedLines()[0]).toBe(
      'Secrets Manager API calls ($0.05 per 10,000) are excluded: their number is not known; declared secrets are included at $0.40 per secret per month.',
    );
  });
});

describe('showing money', () => {
  test('rounded half up to the cent, once, from exact micro-dollars', () => {
    expect(formatUsd(usd(11.285))).toBe('$11.29');
    expect(formatUsd(4_484_999)).toBe('$4.48');
    expect(formatUsd(4_485_000)).toBe('$4.49');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1_234_567_890_000)).toBe('$1,234,567.89');
    expect(usdOf(usd(11.285))).toBe(11.29);
    expect(formatCount(1_500_000)).toBe('1,500,000');
  });
});
