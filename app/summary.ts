/** A short, readable summary of each synthesized environment: key, alias, who may do what. */
import { arnShortName } from '../policy/arn';
import { KEY_POLICY_SIDS } from '../policy/key-policy';
import { SECRET_ARN_CONTEXT_KEY } from '../policy/conditions';
import type { PolicyStatement } from '../policy/statement';
import type { EnvironmentStack } from './environment-stack';

function principalLabel(statement: PolicyStatement): string {
  if (statement.sid === KEY_POLICY_SIDS.accountRoot) return 'account root: delegates to IAM policies';
  const arns = statement.principals?.flatMap((p) => p.identifiers) ?? [];
  return arns.map(arnShortName).join(', ');
}

function conditionLabel(statement: PolicyStatement): string {
  const via = statement.conditions?.find((c) => c.variable === 'kms:ViaService');
  const secrets = statement.conditions?.find((c) => c.variable === SECRET_ARN_CONTEXT_KEY);
  const forSecrets = secrets ? `, only for ${secrets.values.length === 1 && !secrets.values[0].includes('*') ? 'secret' : 'secrets'} ${secrets.values.map(secretLabel).join(', ')}` : '';
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
  if (key.replicas.size > 0) lines.push(`  replicas ${[...key.replicas.keys()].join(', ')} (same policy, moved to each region; each billed as a key)`);
  for (const { settings: grant } of key.kmsGrants) {
    const constraint = grant.encryptionContextEquals ? ' (encryption context equals ...)' : grant.encryptionContextSubset ? ' (encryption context includes ...)' : '';
    lines.push(`  grant    ${grant.name}: ${arnShortName(grant.granteePrincipal)} -> ${grant.operations.join(', ')}${constraint}`);
  }
  if (stack.lambdaRole) {
    lines.push(`  role     ${stack.lambdaRole.settings.path}${stack.lambdaRole.settings.name}`);
  }
  if (stack.secrets.length > 0) {
    lines.push(`  secrets  ${stack.secrets.map((secret) => secret.settings.name).join(', ')} (encrypted with the key; set values with aws secretsmanager put-secret-value)`);
  }
  lines.push(`  backend  ${backendLabel(stack)}`);
  lines.push('  access');
  for (const statement of key.policyStatements()) {
    const actions = statement.actions.length > 6 ? `${statement.actions.length} management actions` : statement.actions.join(', ');
    lines.push(`    ${statement.sid}: ${principalLabel(statement)} -> ${actions}${conditionLabel(statement)}`);
  }
  return lines;
}
