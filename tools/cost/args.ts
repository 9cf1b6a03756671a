/** Command-line options of `npm run cost`, and its help text. */
import { parseCommandArgs } from '../../app/cli';
import { formatCount, formatUsd, PRICES } from '../../policy/pricing';

/** Parsed options. */
export interface CostOptions {
  /** Print JSON instead of the table. */
  readonly json: boolean;
  readonly help: boolean;
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the arguments after `npm run cost --`; throws UsageError with one line. */
export function parseCostArgs(argv: readonly string[]): CostOptions {
  const { values } = parseCommandArgs(argv, OPTIONS);
  return { json: values.json, help: values.help };
}

const usd = (price: { readonly microUsd: number }) => formatUsd(price.microUsd);

/** The text `--help` prints; its prices come from the table, so they cannot disagree with it. */
export const HELP = `Usage: npm run cost -- [--json]

Estimates what each environment of the config (KMS_CONFIG or the embedded default) costs a month
in AWS KMS and Secrets Manager charges, from the price table in policy/pricing.ts (its source and
the month it was checked are printed with the table). Needs no AWS credentials and no network.

  keys       ${usd(PRICES.key)} per key per month: the key, each multi-Region replica, and each alert key (audit
             without snsTopicArn, one per key region)
  rotation   ${usd(PRICES.rotation)} per key per month more after each of the first two rotations, then no more: the
             cap is reached on day 2 x rotationPeriodInDays (replicas rotate with their primary)
  requests   expectedRequestsPerMonth; each account's ${formatCount(PRICES.freeRequests.requests)} free requests a month go to its
             environments in config order; no free tier without accountId (marked *); then
             ${usd(PRICES.symmetricRequests)} per ${formatCount(PRICES.symmetricRequests.per)} requests to symmetric keys (asymmetric and HMAC keys: not estimated)
  secrets    ${usd(PRICES.secret)} per declared secret per month; Secrets Manager API calls are excluded

Options:
      --json   print the estimate as JSON (amounts in micro-dollars and in dollars)
  -h, --help   print this help

See docs/cost.md for the assumptions and what the estimate leaves out.

Exit codes: 0 printed, 1 internal error, 2 bad config or usage.`;
