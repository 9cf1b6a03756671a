/**
 * Terraform references in props (a variable's value, another resource's ARN) are unresolved tokens
 * that only Terraform can resolve. The schemas validate literals; a token gets a placeholder that
 * passes the field's rules while the props are validated, and is put back afterwards.
 */
import { Token } from 'cdktf';

/**
 * Stands in for unresolved Terraform tokens while literals are validated: each token gets a
 * placeholder that passes the field's rules, and is put back afterwards.
 */
export class TokenPlaceholders {
  private readonly tokens = new Map<string, string>();

  /** `value` itself when it is a literal, else a placeholder made by `make`. */
  hide(value: string, make: (n: number) => string): string {
    if (!Token.isUnresolved(value)) return value;
    const placeholder = make(this.tokens.size + 1);
    this.tokens.set(placeholder, value);
    return placeholder;
  }

  /** The token behind a placeholder, or the value itself. */
  restore(value: string): string {
    return this.tokens.get(value) ?? value;
  }
}
