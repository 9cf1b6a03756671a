/**
 * User text handed to cdktf so that it reaches the Terraform configuration as the user wrote it.
 *
 * - Terraform reads every string of its JSON configuration as a template: `${...}` and `%{...}`
 *   would be evaluated, so a description such as "costs ${x}" would break the plan (or read a
 *   value the user never meant). They are written `$${` and `%%{`, which Terraform turns back.
 * - cdktf copies maps by assignment, which drops a key named `__proto__` (a valid AWS tag or
 *   encryption-context key); such a map is passed as a Terraform expression building it instead.
 */
import { Token } from 'cdktf';

/**
 * `text` as a Terraform JSON string literal: template sequences escaped. An unresolved cdktf token
 * (a reference such as a variable's value) is Terraform syntax by design and is left as it is.
 */
export function terraformLiteral(text: string): string {
  if (Token.isUnresolved(text)) return text;
  // A function replacement: in a replacement string, `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** An HCL quoted string for `text` (JSON quoting is HCL quoting; template sequences escaped). */
function hclString(text: string): string {
  return terraformLiteral(JSON.stringify(text));
}

/** A map of strings as a provider or resource argument, every key and value kept literally. */
export function terraformStringMap(map: Readonly<Record<string, string>>): Record<string, string> {
  if (!Object.prototype.hasOwnProperty.call(map, '__proto__')) {
    return Object.fromEntries(Object.entries(map).map(([key, value]) => [terraformLiteral(key), terraformLiteral(value)]));
  }
  const entries = Object.entries(map).map(([key, value]) => `${hclString(key)} = ${hclString(value)}`);
  return Token.asStringMap(`\${tomap({${entries.join(', ')}})}`);
}
