/** A short, readable summary of each synthesized environment: key, alias, who may do what. */
import { arnShortName } from '../policy/arn';
import { KEY_POLICY_SIDS } from '../policy/key-policy';
import { SECRET_ARN_CONTEXT_KEY } from '../policy/conditions';
import { aboutMonths, type CostEstimate, type EnvironmentEstimate, estimateCosts, formatCount, formatUsd } from '../policy/pricing';
import type { PolicyStatement } from '../policy/statement';
import { EnvironmentStack } from './environment-stack';

function principalLabel(statement: PolicyStatement): string {
  if (statement.sid === KEY_POLICY_SIDS.accountRoot) return 'account root: delegates to IAM policies';
  const arns = statement.principals?.flatMap((p) => p.identifiers) ?? [];
  return arns.map(arnShortName).join(', ');
}

function conditionLabel(statement: PolicyStatement): string {
  const via = statement.conditions?.find((c) => c.variable === 'kms:ViaService');
  const secrets = statement.conditions?.find((c) => c.variable === SECRET_ARN_CONTEXT_KEY);
  const forSecrets = secrets
    ? `, only for ${secrets.values.length === 1 && !secrets.values[0].includes('*') ? 'secret' : 'secrets'} ${secrets.values.map(secretLabel).join(', ')}`
    : '';
  return via ? ` (only via ${via.values.join(', ')}${forSecrets})` : '';
}

/** `prod/db-??????` from `arn:aws:secretsmanager:...:secret:prod/db-??????`. */
function secretLabel(arn: string): string {
  const at = arn.indexOf(':secret:');
  return at < 0 ? arn : arn.slice(at + ':secret:'.length);
}

function backendLabel(stack: EnvironmentStack): string {
  const backend = stack.environment.backend;
  switch (backend.type) {
    case 'local':
      return `local state ${backend.path}`;
    case 's3':
      return `s3://${backend.bucket}/${backend.key}${backend.useLockfile ? ' (lockfile)' : ''}`;
    case 'cloud':
      return `Terraform Cloud ${backend.hostname}/${backend.organization}/${backend.workspace}`;
  }
}

// One estimate per app: the free tier is shared by every environment of an account, so each
// stack's line needs its siblings, and computing it once keeps the summary linear in stacks.
const estimates = new WeakMap<object, CostEstimate>();

/** The cost estimate of `stack`'s environment, computed with every environment of its app, in config order. */
function costOf(stack: EnvironmentStack): EnvironmentEstimate {
  const app = stack.node.scope;
  if (app === undefined) return estimateCosts([stack.environment]).environments[0];
  let estimate = estimates.get(app);
  if (estimate === undefined) {
    const stacks = app.node.children.filter((child): child is EnvironmentStack => child instanceof EnvironmentStack);
    estimate = estimateCosts(stacks.map((s) => s.environment));
    estimates.set(app, estimate);
  }
  return estimate.environments.find((e) => e.name === stack.environment.name) ?? estimateCosts([stack.environment]).environments[0];
}

/** `about $1.00/month now, $3.00/month from day 730 (rotation cap, about 24 months): 1 key, 0 requests/month (...)`. */
function costLabel(cost: EnvironmentEstimate): string {
  const when =
    cost.capDay === undefined
      ? `about ${formatUsd(cost.firstMonth)}/month`
      : `about ${formatUsd(cost.firstMonth)}/month now, ${formatUsd(cost.steady)}/month from day ${cost.capDay} (rotation cap, about ${aboutMonths(cost.capDay)} months)`;
  const parts = [`${cost.keys.length} key${cost.keys.length === 1 ? '' : 's'}`];
  if (cost.secrets.count > 0) parts.push(`${cost.secrets.count} secret${cost.secrets.count === 1 ? '' : 's'} (not their API calls)`);
  const { requests } = cost;
  if (!requests.estimated) parts.push(`requests not estimated (${cost.keyKind} key: storage and rotation only)`);
  else
    parts.push(
      `${formatCount(requests.expected)} requests/month ${requests.freeTierApplied ? `(${formatCount(requests.free)} free)` : '(no accountId: no free tier)'}`,
    );
  return `${when}: ${parts.join(', ')}`;
}

/** Lines describing one stack, as printed by `npm run synth`. */
export function summarizeStack(stack: EnvironmentStack, stackDir: string): string[] {
  const { environment: env, key } = stack;
  const s = key.settings;
  const rotation = s.enableKeyRotation ? `rotation every ${s.rotationPeriodInDays} days` : 'no rotation';
  const lines = [
    `${env.name}: ${env.region}, account ${env.accountId ?? 'of the deploying credentials'} -> ${stackDir}`,
    `  key      ${s.alias}  ${s.keySpec}/${s.keyUsage}${s.multiRegion ? ' multi-Region' : ''}, ${rotation}, deletion window ${s.deletionWindowInDays} days${s.preventDestroy ? ', prevent_destroy' : ''}${s.isEnabled ? '' : ', DISABLED'}`,
  ];
  if (s.additionalAliases.length > 0) lines.push(`  aliases  ${[s.alias, ...s.additionalAliases].join(', ')}`);
  if (key.replicas.size > 0)
    lines.push(`  replicas ${[...key.replicas.keys()].join(', ')} (same policy, moved to each region; each billed as a key)`);
  for (const { settings: grant } of key.kmsGrants) {
    const constraint = grant.encryptionContextEquals
      ? ' (encryption context equals ...)'
      : grant.encryptionContextSubset
        ? ' (encryption context includes ...)'
        : '';
    lines.push(`  grant    ${grant.name}: ${arnShortName(grant.granteePrincipal)} -> ${grant.operations.join(', ')}${constraint}`);
  }
  if (stack.lambdaRole) {
    lines.push(`  role     ${stack.lambdaRole.settings.path}${stack.lambdaRole.settings.name}`);
  }
  if (stack.secrets.length > 0) {
    lines.push(
      `  secrets  ${stack.secrets.map((secret) => secret.settings.name).join(', ')} (encrypted with the key; set values with aws secretsmanager put-secret-value)`,
    );
  }
  lines.push(`  backend  ${backendLabel(stack)}`);
  lines.push(`  cost     ${costLabel(costOf(stack))}`);
  lines.push('  access');
  for (const statement of key.policyStatements()) {
    const actions = statement.actions.length > 6 ? `${statement.actions.length} management actions` : statement.actions.join(', ');
    lines.push(`    ${statement.sid}: ${principalLabel(statement)} -> ${actions}${conditionLabel(statement)}`);
  }
  return lines;
}
