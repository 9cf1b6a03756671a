/** Tags handed to cdktf so that every key reaches the Terraform configuration. */
import { Token } from 'cdktf';

/**
 * `tags` as a provider or resource argument. cdktf copies maps by assignment, which drops a key
 * named `__proto__` (a valid AWS tag key); such a map is passed as a Terraform expression building
 * the same map instead. Tag keys and values hold no quote, backslash, `$` or `%` (the tag schema
 * refuses them), so JSON string quoting is valid HCL quoting here.
 */
export function terraformTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  if (!Object.prototype.hasOwnProperty.call(tags, '__proto__')) return { ...tags };
  const entries = Object.entries(tags).map(([key, value]) => `${JSON.stringify(key)} = ${JSON.stringify(value)}`);
  return Token.asStringMap(`\${tomap({${entries.join(', ')}})}`);
}
