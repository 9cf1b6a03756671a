/**
 * What an environment's keys and secrets cost a month: AWS KMS's and Secrets Manager's prices as
 * data (with their source and the month they were checked), and pure functions that turn plain
 * inputs into an estimate. No cdktf: the synth summary (`app/summary.ts`) and `npm run cost`
 * (`tools/cost/`) both compute from the validated config through these functions.
 *
 * Money is integer micro-dollars (`MicroUsd`, millionths of a US dollar): every price below is a
 * whole number of them (a symmetric request costs 3), so every sum is exact. Amounts are rounded to
 * the cent, half up, once, when shown (`formatUsd`, `usdOf`); a total is rounded from the exact
 * sum, so it may differ by a cent from the sum of rounded lines.
 *
 * How the estimate is built, and what it leaves out: docs/cost.md.
 */
import type { KeySpec } from './key-spec';

/** An amount of US dollars in integer millionths of a dollar. */
export type MicroUsd = number;

/** Micro-dollars in one dollar. */
export const MICRO_USD_PER_USD = 1_000_000;

/** A price: `microUsd` for every `per` units of what `unit` says. */
export interface Price {
  readonly microUsd: MicroUsd;
  readonly per: number;
  readonly unit: string;
}

/** The price table the estimate uses. */
export interface PriceTable {
  /** The month the prices were read from the sources, `YYYY-MM`. */
  readonly checked: string;
  /** Where the prices come from. */
  readonly sources: { readonly kms: string; readonly secretsManager: string };
  /** One KMS key (primary, multi-Region replica or alert key), a month. */
  readonly key: Price;
  /** Added to a key's monthly price by each of its first `chargedRotations` rotations. */
  readonly rotation: Price;
  /** How many rotations of a key add `rotation`; later ones add nothing (the cap). */
  readonly chargedRotations: number;
  /** Requests a month free of charge, per account, across all regions. */
  readonly freeRequests: { readonly requests: number; readonly unit: string };
  /** Requests to symmetric encryption keys beyond the free tier. */
  readonly symmetricRequests: Price;
  /** One Secrets Manager secret, a month. */
  readonly secret: Price;
  /** Secrets Manager API calls: listed, never estimated (their number is not known). */
  readonly secretsManagerApiCalls: Price;
}

/**
 * AWS's prices, as published for most commercial regions, checked 2026-12. KMS: $1 per key per
 * month prorated hourly (the same for each multi-Region replica); each of the first two rotations
 * adds $1 per key per month, later ones nothing; 20,000 free requests a month per account across
 * all regions; then $0.03 per 10,000 requests to symmetric keys. Requests to asymmetric and HMAC
 * keys are priced by operation and are not in this table. Secrets Manager: $0.40 per secret per
 * month, $0.05 per 10,000 API calls.
 */
export const PRICES: PriceTable = {
  checked: '2026-12',
  sources: { kms: 'https://aws.amazon.com/kms/pricing/', secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/' },
  key: { microUsd: 1_000_000, per: 1, unit: 'key per month, prorated hourly; each multi-Region replica and each alert key is a key' },
  rotation: { microUsd: 1_000_000, per: 1, unit: 'key per month, for each of the first two rotations of its key material' },
  chargedRotations: 2,
  freeRequests: { requests: 20_000, unit: 'requests per account per month, across all regions' },
  symmetricRequests: { microUsd: 30_000, per: 10_000, unit: 'requests to symmetric encryption keys beyond the free tier' },
  secret: { microUsd: 400_000, per: 1, unit: 'secret per month' },
  secretsManagerApiCalls: { microUsd: 50_000, per: 10_000, unit: 'Secrets Manager API calls (not estimated)' },
};

/**
 * KMS's rotation period when rotation is on and no period is given (365 days). The alert key
 * (`constructs/key-alerts.ts`) is made that way, so it is priced with this period.
 */
export const DEFAULT_ROTATION_PERIOD_IN_DAYS = 365;

/** Days in an average month (365.25 / 12), to say "about N months". */
const DAYS_PER_MONTH = 365.25 / 12;

/** The price of `quantity` units, exact in micro-dollars (rounded to the micro-dollar below one `per`). */
export function priceOf(price: Price, quantity: number): MicroUsd {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`quantity ${quantity} is not a whole number 0 or more`);
  // Whole blocks first, so the product stays small and exact however large the quantity.
  return Math.floor(quantity / price.per) * price.microUsd + Math.round(((quantity % price.per) * price.microUsd) / price.per);
}

/** How KMS prices requests to a key of this kind. */
export type PricingKeyKind = 'symmetric' | 'asymmetric' | 'hmac';

/** `symmetric` for SYMMETRIC_DEFAULT, `hmac` for HMAC_*, `asymmetric` for RSA, ECC and SM2 specs. */
export function pricingKindOf(keySpec: KeySpec): PricingKeyKind {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 'symmetric';
  return keySpec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';
}

/** From `fromDay` (day 0 is the day the key is created) on, the monthly price is `monthly`. */
export interface CostStep {
  readonly fromDay: number;
  readonly monthly: MicroUsd;
}

/** What one key costs a month over its life. */
export interface KeyCostSchedule {
  /** The first month's price (no rotation can happen in it: the shortest period is 90 days). */
  readonly firstMonth: MicroUsd;
  /** The price once the rotation charges are capped: it stays there. */
  readonly steady: MicroUsd;
  /** The day the cap is reached (the second rotation), or undefined without rotation. */
  readonly capDay: number | undefined;
  /** Day 0, then each day the price changes, in order. */
  readonly steps: readonly CostStep[];
}

/**
 * One key's monthly price: $1 from day 0; rotating every P days, $1 more after the first rotation
 * (day P) and after the second (day 2P), then no more. `undefined`: no automatic rotation.
 */
export function keyCostSchedule(rotationPeriodInDays: number | undefined): KeyCostSchedule {
  const base = PRICES.key.microUsd;
  if (rotationPeriodInDays === undefined)
    return { firstMonth: base, steady: base, capDay: undefined, steps: [{ fromDay: 0, monthly: base }] };
  if (!Number.isInteger(rotationPeriodInDays) || rotationPeriodInDays <= 0) {
    throw new RangeError(`rotation period ${rotationPeriodInDays} is not a whole number of days above 0`);
  }
  const steps: CostStep[] = [{ fromDay: 0, monthly: base }];
  for (let rotation = 1; rotation <= PRICES.chargedRotations; rotation++) {
    steps.push({ fromDay: rotation * rotationPeriodInDays, monthly: base + rotation * PRICES.rotation.microUsd });
  }
  const last = steps[steps.length - 1];
  return { firstMonth: base, steady: last.monthly, capDay: last.fromDay, steps };
}

/** The sum of several price schedules plus a constant monthly amount, step by step. */
export function sumSchedules(schedules: readonly (readonly CostStep[])[], constant: MicroUsd = 0): CostStep[] {
  const days = [...new Set([0, ...schedules.flatMap((steps) => steps.map((s) => s.fromDay))])].sort((a, b) => a - b);
  const at = (steps: readonly CostStep[], day: number) => steps.filter((s) => s.fromDay <= day).at(-1)?.monthly ?? 0;
  return days.map((day) => ({ fromDay: day, monthly: constant + schedules.reduce((sum, steps) => sum + at(steps, day), 0) }));
}

/** One environment's requests, for sharing the free tier. */
export interface RequestUsage {
  /** The account that pays; undefined when the config does not say (no free tier is given). */
  readonly accountId: string | undefined;
  /** Requests a month that the free tier may cover (requests to symmetric keys only). */
  readonly requests: number;
}

/**
 * The free requests each usage gets, in the same order. Each account's free tier goes to its
 * usages in config order, each taking up to its own requests until the tier is used up: the
 * account's total is the same whatever the order, and the rule is easy to check by hand. A usage
 * without an account gets none: its account is not known, and it may share one with others.
 */
export function allocateFreeTier(usages: readonly RequestUsage[], freePerAccount: number = PRICES.freeRequests.requests): number[] {
  const left = new Map<string, number>();
  return usages.map(({ accountId, requests }) => {
    if (accountId === undefined) return 0;
    const available = left.get(accountId) ?? freePerAccount;
    const free = Math.min(requests, available);
    left.set(accountId, available - free);
    return free;
  });
}

/**
 * The fields of an environment the estimate reads: a structural part of the validated config's
 * `EnvironmentConfig`, so either can be passed.
 */
export interface CostEnvironment {
  readonly name: string;
  readonly region: string;
  readonly accountId: string | undefined;
  readonly key: {
    readonly keySpec: KeySpec;
    readonly enableKeyRotation: boolean;
    readonly rotationPeriodInDays: number | undefined;
    readonly replicaRegions: readonly string[];
    readonly importKeyId?: string | undefined;
  };
  readonly secrets: readonly unknown[];
  readonly audit: { readonly snsTopicArn: string | undefined } | undefined;
  /** KMS requests to the key (and its replicas) a month. */
  readonly expectedRequestsPerMonth: number;
}

/** The regions of the alert keys: one per region where a key lives, when alerts make their own topic. */
export function alertKeyRegions(env: CostEnvironment): string[] {
  if (env.audit === undefined || env.audit.snsTopicArn !== undefined) return [];
  return [env.region, ...env.key.replicaRegions];
}

/** One key's part of the estimate. */
export interface KeyEstimate {
  /** The environment's key, one of its multi-Region replicas, or a key made only for alerts. */
  readonly role: 'primary' | 'replica' | 'alert';
  readonly region: string;
  /** Undefined: no automatic rotation. */
  readonly rotationPeriodInDays: number | undefined;
  readonly schedule: KeyCostSchedule;
}

/** The requests part of an environment's estimate. */
export interface RequestsEstimate {
  /** `expectedRequestsPerMonth`. */
  readonly expected: number;
  /** False for asymmetric and HMAC keys: their requests are priced by operation and not estimated. */
  readonly estimated: boolean;
  /** Whether the account's free tier applies (false without `accountId`). */
  readonly freeTierApplied: boolean;
  /** Free requests given to this environment (see `allocateFreeTier`). */
  readonly free: number;
  readonly billable: number;
  readonly cost: MicroUsd;
}

/** One environment's estimate. */
export interface EnvironmentEstimate {
  readonly name: string;
  readonly region: string;
  readonly accountId: string | undefined;
  readonly keyKind: PricingKeyKind;
  /** The primary, then its replicas, then the alert keys. */
  readonly keys: readonly KeyEstimate[];
  readonly requests: RequestsEstimate;
  readonly secrets: { readonly count: number; readonly cost: MicroUsd };
  /** The first month, all included. */
  readonly firstMonth: MicroUsd;
  /** Once every key's rotation charges are capped. */
  readonly steady: MicroUsd;
  /** The day the last key reaches its cap, or undefined when nothing rotates. */
  readonly capDay: number | undefined;
  /** The monthly price from day 0 and at each change. */
  readonly schedule: readonly CostStep[];
  /** What the reader should know about this environment's figures. */
  readonly notes: readonly string[];
}

/** One account's requests and free tier, summed over its environments. */
export interface AccountEstimate {
  readonly accountId: string;
  /** Its environments, in config order. */
  readonly environments: readonly string[];
  /** Estimated requests (to symmetric keys) a month. */
  readonly requests: number;
  readonly free: number;
  readonly billable: number;
  readonly cost: MicroUsd;
}

/** The estimate for a whole config. */
export interface CostEstimate {
  readonly prices: PriceTable;
  readonly environments: readonly EnvironmentEstimate[];
  /** Accounts named by `accountId`, in order of first appearance. */
  readonly accounts: readonly AccountEstimate[];
  readonly total: {
    readonly firstMonth: MicroUsd;
    readonly steady: MicroUsd;
    readonly capDay: number | undefined;
    readonly schedule: readonly CostStep[];
  };
  /** What the estimate leaves out, one line each. */
  readonly excluded: readonly string[];
}

/** The lines every estimate carries about what it leaves out. */
export function excludedLines(prices: PriceTable = PRICES): string[] {
  return [
    `Secrets Manager API calls (${formatUsd(prices.secretsManagerApiCalls.microUsd)} per ${formatCount(prices.secretsManagerApiCalls.per)}) are excluded: their number is not known; declared secrets are included at ${formatUsd(prices.secret.microUsd)} per secret per month.`,
    'Requests to asymmetric and HMAC keys are priced by operation and are not estimated: such keys count storage and rotation only.',
    'Not included: regional price differences (these are the prices of most regions), on-demand rotations, CloudTrail data events, the SNS and EventBridge charges of alerts, other KMS use in the same accounts (it shares the free tier), and taxes.',
  ];
}

/** The estimate for `environments`, in their order (which decides how free tiers are shared). */
export function estimateCosts(environments: readonly CostEnvironment[]): CostEstimate {
  const kinds = environments.map((env) => pricingKindOf(env.key.keySpec));
  const usages = environments.map((env, i) => ({
    accountId: env.accountId,
    requests: kinds[i] === 'symmetric' ? env.expectedRequestsPerMonth : 0,
  }));
  const free = allocateFreeTier(usages);
  // Who shares each account's free tier, computed once: the notes name them.
  const sharers = new Map<string, string[]>();
  environments.forEach((env, i) => {
    if (env.accountId !== undefined && kinds[i] === 'symmetric')
      sharers.set(env.accountId, [...(sharers.get(env.accountId) ?? []), env.name]);
  });
  const estimates = environments.map((env, i) => estimateEnvironment(env, kinds[i], free[i], sharers));

  const accounts = new Map<string, { environments: string[]; requests: number; free: number }>();
  estimates.forEach((e) => {
    if (e.accountId === undefined) return;
    const account = accounts.get(e.accountId) ?? { environments: [], requests: 0, free: 0 };
    account.environments.push(e.name);
    if (e.requests.estimated) {
      account.requests += e.requests.expected;
      account.free += e.requests.free;
    }
    accounts.set(e.accountId, account);
  });
  const schedule = sumSchedules(estimates.map((e) => e.schedule));
  const capDays = estimates.flatMap((e) => (e.capDay === undefined ? [] : [e.capDay]));
  return {
    prices: PRICES,
    environments: estimates,
    accounts: [...accounts].map(([accountId, a]) => ({
      accountId,
      environments: a.environments,
      requests: a.requests,
      free: a.free,
      billable: a.requests - a.free,
      cost: priceOf(PRICES.symmetricRequests, a.requests - a.free),
    })),
    total: {
      firstMonth: schedule[0].monthly,
      steady: schedule[schedule.length - 1].monthly,
      capDay: capDays.length === 0 ? undefined : Math.max(...capDays),
      schedule,
    },
    excluded: excludedLines(),
  };
}

function estimateEnvironment(
  env: CostEnvironment,
  keyKind: PricingKeyKind,
  free: number,
  sharers: ReadonlyMap<string, readonly string[]>,
): EnvironmentEstimate {
  // The key's own period; KMS's default when rotation is on and none is given.
  const period = env.key.enableKeyRotation ? (env.key.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS) : undefined;
  const alertRegions = alertKeyRegions(env);
  const keys: KeyEstimate[] = [
    { role: 'primary', region: env.region, rotationPeriodInDays: period, schedule: keyCostSchedule(period) },
    // A replica shares its primary's key material, so it rotates with it and carries the same charges.
    ...env.key.replicaRegions.map((region): KeyEstimate => ({
      role: 'replica',
      region,
      rotationPeriodInDays: period,
      schedule: keyCostSchedule(period),
    })),
    ...alertRegions.map((region): KeyEstimate => ({
      role: 'alert',
      region,
      rotationPeriodInDays: DEFAULT_ROTATION_PERIOD_IN_DAYS,
      schedule: keyCostSchedule(DEFAULT_ROTATION_PERIOD_IN_DAYS),
    })),
  ];

  const estimated = keyKind === 'symmetric';
  const freeTierApplied = env.accountId !== undefined;
  const expected = env.expectedRequestsPerMonth;
  const billable = estimated ? expected - free : 0;
  const requests: RequestsEstimate = {
    expected,
    estimated,
    freeTierApplied,
    free,
    billable,
    cost: priceOf(PRICES.symmetricRequests, billable),
  };
  const secrets = { count: env.secrets.length, cost: priceOf(PRICES.secret, env.secrets.length) };

  const schedule = sumSchedules(
    keys.map((k) => k.schedule.steps),
    requests.cost + secrets.cost,
  );
  const capDays = keys.flatMap((k) => (k.schedule.capDay === undefined ? [] : [k.schedule.capDay]));

  const notes: string[] = [];
  if (env.key.replicaRegions.length > 0) {
    notes.push(
      `${plural(env.key.replicaRegions.length, 'replica')} (${env.key.replicaRegions.join(', ')}): each billed as a key, with its primary's rotation charges (a replica's key material is the primary's)`,
    );
  }
  if (alertRegions.length > 0) {
    notes.push(
      `${plural(alertRegions.length, 'alert key')} (${alertRegions.join(', ')}; audit without snsTopicArn): each billed as a key, rotating every ${DEFAULT_ROTATION_PERIOD_IN_DAYS} days`,
    );
  }
  if (!estimated) {
    notes.push(
      `${env.key.keySpec} is ${keyKind === 'hmac' ? 'an HMAC' : 'an asymmetric'} key: storage and rotation only; its requests are priced by operation and not estimated`,
    );
  } else if (!freeTierApplied) {
    notes.push('no accountId: the free tier is not applied (the account is not known, and may be shared with other environments)');
  } else {
    const sharing = (sharers.get(env.accountId) ?? []).filter((name) => name !== env.name);
    if (sharing.length > 0) notes.push(`shares account ${env.accountId}'s free tier with ${someNames(sharing)} (given in config order)`);
  }
  if (env.key.importKeyId !== undefined && period !== undefined) {
    notes.push('imported key: it may have rotated already, so its cap may be nearer than shown (counted from today)');
  }

  return {
    name: env.name,
    region: env.region,
    accountId: env.accountId,
    keyKind,
    keys,
    requests,
    secrets,
    firstMonth: schedule[0].monthly,
    steady: schedule[schedule.length - 1].monthly,
    capDay: capDays.length === 0 ? undefined : Math.max(...capDays),
    schedule,
    notes,
  };
}

/** `a, b, c` or, for many, `a, b, c and 7 more`: a note stays one readable line. */
function someNames(names: readonly string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** `1 replica`, `2 replicas`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Whole cents, rounded half up from micro-dollars. */
function centsOf(amount: MicroUsd): number {
  const perCent = MICRO_USD_PER_USD / 100;
  return Math.floor((amount + perCent / 2) / perCent);
}

/** Dollars rounded to the cent, as a number (for JSON): 11285000 -> 11.29. */
export function usdOf(amount: MicroUsd): number {
  return centsOf(amount) / 100;
}

/** `$1,234.57` from micro-dollars, rounded half up to the cent. */
export function formatUsd(amount: MicroUsd): string {
  const cents = centsOf(amount);
  return `$${formatCount(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

/** `1,500,000`: digits grouped by three, without depending on the machine's locale. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Months, rounded, in `day` days: 180 -> 6. */
export function aboutMonths(day: number): number {
  return Math.round(day / DAYS_PER_MONTH);
}

/** `day 180 (about 6 months)`. */
export function describeDay(day: number): string {
  const months = aboutMonths(day);
  return `day ${day} (about ${months} month${months === 1 ? '' : 's'})`;
}
