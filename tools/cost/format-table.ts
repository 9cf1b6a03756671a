/** `npm run cost`: the estimate as a table, each environment's price steps and notes, then what is left out. */
import { type CostEstimate, type CostStep, describeDay, type EnvironmentEstimate, formatCount, formatUsd } from '../../policy/pricing';

/** Marks an environment without `accountId` (no free tier applied). */
export const NO_ACCOUNT_MARK = '*';

type Cell = { readonly text: string; readonly right?: boolean };

/** Columns padded to their widest cell; numbers right-aligned; no trailing spaces. */
function alignRows(rows: readonly (readonly Cell[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].text.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (cell.right ? cell.text.padStart(widths[column]) : cell.text.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
}

const left = (text: string): Cell => ({ text });
const right = (text: string): Cell => ({ text, right: true });

function environmentRow(e: EnvironmentEstimate): Cell[] {
  const primary = e.keys[0];
  const { requests } = e;
  return [
    left(e.name),
    left(e.accountId ?? `none ${NO_ACCOUNT_MARK}`),
    right(String(e.keys.length)),
    left(primary.rotationPeriodInDays === undefined ? 'none' : `${primary.rotationPeriodInDays} days`),
    right(requests.estimated ? formatCount(requests.expected) : 'not estimated'),
    right(requests.estimated ? formatCount(requests.free) : '-'),
    right(requests.estimated ? formatCount(requests.billable) : '-'),
    right(String(e.secrets.count)),
    right(formatUsd(e.firstMonth)),
    right(formatUsd(e.steady)),
    left(e.capDay === undefined ? '-' : describeDay(e.capDay)),
  ];
}

/** `$1.40 from day 0, $2.40 from day 365 (about 12 months), ...`. */
function stepsLabel(schedule: readonly CostStep[]): string {
  return schedule.map((s) => `${formatUsd(s.monthly)} ${s.fromDay === 0 ? 'from day 0' : `from ${describeDay(s.fromDay)}`}`).join(', ');
}

/** `primary eu-west-1; replicas us-east-1, ap-southeast-2; alert keys eu-west-1`. */
function keysLabel(e: EnvironmentEstimate): string {
  const regions = (role: string) => e.keys.filter((k) => k.role === role).map((k) => k.region);
  const parts = [`primary ${regions('primary').join(', ')}`];
  if (regions('replica').length > 0) parts.push(`replicas ${regions('replica').join(', ')}`);
  if (regions('alert').length > 0) parts.push(`alert keys ${regions('alert').join(', ')}`);
  return parts.join('; ');
}

/** The table and its notes, as `npm run cost` prints them. */
export function formatTable(estimate: CostEstimate): string {
  const { prices } = estimate;
  const header = [
    'environment',
    'account',
    'keys',
    'rotation',
    'requests/month',
    'free',
    'billed',
    'secrets',
    'now',
    'steady',
    'steady from',
  ].map(left);
  const total = [
    left('total'),
    ...Array.from({ length: 7 }, () => left('')),
    right(formatUsd(estimate.total.firstMonth)),
    right(formatUsd(estimate.total.steady)),
    left(estimate.total.capDay === undefined ? '-' : describeDay(estimate.total.capDay)),
  ];
  const lines = [
    `Monthly cost estimate in US dollars, AWS KMS and Secrets Manager, prices checked ${prices.checked}`,
    `(${prices.sources.kms}, ${prices.sources.secretsManager})`,
    '',
    ...alignRows([header, ...estimate.environments.map(environmentRow), total]),
    '',
    'now: the first month; steady: once every rotation charge is capped (the second rotation of each key).',
  ];
  for (const e of estimate.environments) {
    lines.push('', `${e.name}: ${e.keys.length} key${e.keys.length === 1 ? '' : 's'} (${keysLabel(e)})`);
    lines.push(`  monthly: ${stepsLabel(e.schedule)}`);
    if (e.secrets.count > 0)
      lines.push(`  secrets: ${e.secrets.count} x ${formatUsd(prices.secret.microUsd)} = ${formatUsd(e.secrets.cost)}`);
    if (e.requests.estimated)
      lines.push(
        `  requests: ${formatCount(e.requests.billable)} billed x ${formatUsd(prices.symmetricRequests.microUsd)} per ${formatCount(prices.symmetricRequests.per)} = ${formatUsd(e.requests.cost)}`,
      );
    for (const note of e.notes)
      lines.push(`  ${e.accountId === undefined && note.startsWith('no accountId') ? `${NO_ACCOUNT_MARK} ` : ''}${note}`);
  }
  lines.push(
    '',
    `Free tier: ${formatCount(prices.freeRequests.requests)} ${prices.freeRequests.unit}, given to each account's environments in config order:`,
  );
  for (const a of estimate.accounts) {
    const estimated = estimate.environments.some((e) => e.accountId === a.accountId && e.requests.estimated);
    const usage = estimated
      ? `${formatCount(a.requests)} requests, ${formatCount(a.free)} free, ${formatCount(a.billable)} billed: ${formatUsd(a.cost)}`
      : 'requests not estimated (asymmetric or HMAC keys only)';
    lines.push(`  ${a.accountId} (${a.environments.join(', ')}): ${usage}`);
  }
  if (estimate.environments.some((e) => e.accountId === undefined)) {
    lines.push(`  ${NO_ACCOUNT_MARK} environments without accountId get no free tier: their account is not known`);
  }
  lines.push(
    '',
    ...estimate.excluded,
    'Amounts are exact in micro-dollars and rounded half up to the cent only when shown; see docs/cost.md.',
  );
  return lines.join('\n');
}
