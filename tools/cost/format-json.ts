/** `npm run cost -- --json`: the estimate as JSON, every amount exact and rounded. */
import { type CostEstimate, type CostStep, type MicroUsd, type Price, usdOf } from '../../policy/pricing';

/** An amount: exact in micro-dollars, and in dollars rounded half up to the cent. */
export interface JsonMoney {
  readonly microUsd: MicroUsd;
  readonly usd: number;
}

/** A price of the table as JSON. */
export interface JsonPrice {
  readonly price: JsonMoney;
  readonly per: number;
  readonly unit: string;
}

/** One step of a schedule: from `fromDay` on, `monthly`. */
export interface JsonStep {
  readonly fromDay: number;
  readonly monthly: JsonMoney;
}

/** The document `--json` prints. */
export interface JsonCostReport {
  readonly currency: 'USD';
  /** The month the prices were checked, `YYYY-MM`. */
  readonly pricesChecked: string;
  readonly sources: readonly string[];
  readonly prices: {
    readonly key: JsonPrice;
    readonly rotation: JsonPrice & { readonly chargedRotations: number };
    readonly freeRequests: { readonly requests: number; readonly unit: string };
    readonly symmetricRequests: JsonPrice;
    readonly secret: JsonPrice;
    readonly secretsManagerApiCalls: JsonPrice;
  };
  readonly environments: readonly {
    readonly name: string;
    readonly region: string;
    /** Null when the config gives none: then no free tier is applied. */
    readonly accountId: string | null;
    readonly keyKind: string;
    readonly keys: readonly {
      readonly role: string;
      readonly region: string;
      readonly rotationPeriodInDays: number | null;
      readonly firstMonth: JsonMoney;
      readonly steady: JsonMoney;
      readonly capDay: number | null;
    }[];
    readonly requests: {
      readonly expectedPerMonth: number;
      readonly estimated: boolean;
      readonly freeTierApplied: boolean;
      readonly free: number;
      readonly billable: number;
      readonly cost: JsonMoney;
    };
    readonly secrets: { readonly count: number; readonly cost: JsonMoney };
    readonly firstMonth: JsonMoney;
    readonly steady: JsonMoney;
    readonly capDay: number | null;
    readonly schedule: readonly JsonStep[];
    readonly notes: readonly string[];
  }[];
  readonly accounts: readonly {
    readonly accountId: string;
    readonly environments: readonly string[];
    readonly requests: number;
    readonly free: number;
    readonly billable: number;
    readonly cost: JsonMoney;
  }[];
  readonly total: {
    readonly firstMonth: JsonMoney;
    readonly steady: JsonMoney;
    readonly capDay: number | null;
    readonly schedule: readonly JsonStep[];
  };
  readonly excluded: readonly string[];
}

const money = (amount: MicroUsd): JsonMoney => ({ microUsd: amount, usd: usdOf(amount) });
const price = (p: Price): JsonPrice => ({ price: money(p.microUsd), per: p.per, unit: p.unit });
const steps = (schedule: readonly CostStep[]): JsonStep[] => schedule.map((s) => ({ fromDay: s.fromDay, monthly: money(s.monthly) }));

/** The JSON document of an estimate, as `--json` prints it. */
export function toJsonReport(estimate: CostEstimate): JsonCostReport {
  const { prices } = estimate;
  return {
    currency: 'USD',
    pricesChecked: prices.checked,
    sources: [prices.sources.kms, prices.sources.secretsManager],
    prices: {
      key: price(prices.key),
      rotation: { ...price(prices.rotation), chargedRotations: prices.chargedRotations },
      freeRequests: prices.freeRequests,
      symmetricRequests: price(prices.symmetricRequests),
      secret: price(prices.secret),
      secretsManagerApiCalls: price(prices.secretsManagerApiCalls),
    },
    environments: estimate.environments.map((e) => ({
      name: e.name,
      region: e.region,
      accountId: e.accountId ?? null,
      keyKind: e.keyKind,
      keys: e.keys.map((k) => ({
        role: k.role,
        region: k.region,
        rotationPeriodInDays: k.rotationPeriodInDays ?? null,
        firstMonth: money(k.schedule.firstMonth),
        steady: money(k.schedule.steady),
        capDay: k.schedule.capDay ?? null,
      })),
      requests: {
        expectedPerMonth: e.requests.expected,
        estimated: e.requests.estimated,
        freeTierApplied: e.requests.freeTierApplied,
        free: e.requests.free,
        billable: e.requests.billable,
        cost: money(e.requests.cost),
      },
      secrets: { count: e.secrets.count, cost: money(e.secrets.cost) },
      firstMonth: money(e.firstMonth),
      steady: money(e.steady),
      capDay: e.capDay ?? null,
      schedule: steps(e.schedule),
      notes: e.notes,
    })),
    accounts: estimate.accounts.map((a) => ({ ...a, cost: money(a.cost) })),
    total: {
      firstMonth: money(estimate.total.firstMonth),
      steady: money(estimate.total.steady),
      capDay: estimate.total.capDay ?? null,
      schedule: steps(estimate.total.schedule),
    },
    excluded: estimate.excluded,
  };
}

/** The text `--json` prints: the document with a two-space indent. */
export function formatJson(estimate: CostEstimate): string {
  return JSON.stringify(toJsonReport(estimate), null, 2);
}
