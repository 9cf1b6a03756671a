/**
 * The key policy of a multi-Region replica: the primary's statements with every region-bound value
 * moved to the replica's region, so a grant "via Secrets Manager in eu-west-1, for these secrets"
 * becomes "via Secrets Manager in us-west-2, for the same secrets' replicas there" (a replica
 * secret keeps its name and suffix and is encrypted with the replica key).
 */
import type { Condition, PolicyStatement } from './statement';

/** `value` with the region moved, when it is a service endpoint or an ARN in `from`. */
export function regionalValue(value: string, from: string, to: string): string {
  const endpoint = new RegExp(`^([a-z0-9-]+)\\.${escape(from)}\\.(amazonaws\\.com(\\.cn)?)$`).exec(value);
  if (endpoint) return `${endpoint[1]}.${to}.${endpoint[2]}`;
  const arn = new RegExp(`^(arn:[a-z-]+:[a-z0-9-]+):${escape(from)}:`).exec(value);
  if (arn) return `${arn[1]}:${to}:${value.slice(arn[0].length)}`;
  return value;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function regionalCondition(condition: Condition, from: string, to: string): Condition {
  return { ...condition, values: condition.values.map((v) => regionalValue(v, from, to)) };
}

/** The statements for a replica in region `to` of a key whose primary is in `from`. */
export function statementsForRegion(statements: readonly PolicyStatement[], from: string, to: string): PolicyStatement[] {
  return statements.map((statement) =>
    statement.conditions ? { ...statement, conditions: statement.conditions.map((c) => regionalCondition(c, from, to)) } : statement,
  );
}

/** A Terraform-name form of a region: `us-west-2` is `us_west_2`. */
export function regionName(region: string): string {
  return region.replace(/-/g, '_');
}
